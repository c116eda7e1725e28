//! Memory accounting for the sandbox: a counting global allocator that keeps, for each thread,
//! the bytes allocated and not yet freed, and the [`Allowance`] a script or check may use,
//! checked after every Rhai operation (README, "Limits").
//!
//! Counting in the allocator is what makes the bound hold by construction: every growth path
//! (script values, the API trail, simulated resources, guest files, captured output) is
//! allocated, so every one is counted, with no list of paths to keep up to date. Counting per
//! thread keeps gradings that run in parallel (`validate`'s proofs, on rayon) apart. No crate
//! on crates.io offers a per-thread live-bytes count that a callback can read cheaply (`cap`
//! and `stats_alloc` count for the whole process), so this is our own, and small.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::rc::Rc;

/// An allocator (`A`) that counts each thread's live bytes.
pub struct Counting<A>(pub A);

thread_local! {
    /// Bytes this thread allocated minus bytes it freed. Memory freed on another thread than
    /// the one that allocated it makes the two counts drift apart; only differences on one
    /// thread are ever read, so the drift is harmless (and rare: Rhai values never cross).
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // A const-initialised cell without a destructor is always accessible, even while a thread
    // ends; `try_with` keeps the allocator panic-free regardless.
    let _ = LIVE.try_with(|live| live.set(live.get().wrapping_add(delta)));
}

// SAFETY: every call is forwarded unchanged to the inner allocator; only a thread-local counter
// is updated on the side, which allocates nothing and cannot unwind.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { self.0.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { self.0.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.0.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        new
    }
}

/// This thread's live bytes (allocated, not yet freed) as the counting allocator sees them;
/// meaningful only as a difference between two readings on the same thread.
pub fn live() -> isize {
    LIVE.try_with(Cell::get).unwrap_or(0)
}

/// How much memory a piece of work (a script, one check) may hold beyond what was live when it
/// started: readings are cheap (a thread-local), so the sandbox takes one after every
/// operation. Clones share the starting point, so the engine's callback and its owner agree.
#[derive(Debug, Clone)]
pub struct Allowance {
    start: Rc<Cell<isize>>,
    limit: usize,
}

impl Allowance {
    /// An allowance of `limit` bytes, counted from now.
    pub fn new(limit: usize) -> Self {
        Allowance {
            start: Rc::new(Cell::new(live())),
            limit,
        }
    }

    /// Counts from now again (the next check starts with the whole allowance).
    pub fn restart(&self) {
        self.start.set(live());
    }

    /// The allowance, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Bytes held now beyond the starting point (negative when more was freed than allocated).
    pub fn used(&self) -> isize {
        live().wrapping_sub(self.start.get())
    }

    /// Bytes that may still be allocated (0 once the allowance is spent).
    pub fn remaining(&self) -> usize {
        let used = self.used().max(0) as usize;
        self.limit.saturating_sub(used)
    }

    /// Whether more is held than allowed.
    pub fn exceeded(&self) -> bool {
        self.used() > self.limit as isize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_this_thread_holds_and_frees() {
        let allowance = Allowance::new(1 << 20);
        let held = vec![0u8; 4 << 20];
        assert!(allowance.used() >= 4 << 20, "used {}", allowance.used());
        assert!(allowance.exceeded());
        assert_eq!(allowance.remaining(), 0);
        drop(held);
        assert!(allowance.used() < 1 << 16, "used {}", allowance.used());
        assert!(!allowance.exceeded());
    }

    #[test]
    fn growth_by_realloc_is_counted_and_restart_forgives_it() {
        let allowance = Allowance::new(1 << 20);
        let mut grown = Vec::<u8>::new();
        for i in 0..(2 << 20) {
            grown.push(i as u8); // one by one: growth by realloc, not one allocation
        }
        assert!(allowance.exceeded());
        allowance.restart();
        assert!(!allowance.exceeded());
        assert!(allowance.remaining() > (1 << 20) - (1 << 16));
        drop(grown);
    }

    #[test]
    fn other_threads_are_not_counted() {
        let allowance = Allowance::new(1 << 20);
        std::thread::spawn(|| {
            let held = vec![0u8; 8 << 20];
            std::hint::black_box(&held);
        })
        .join()
        .unwrap();
        assert!(!allowance.exceeded(), "used {}", allowance.used());
    }
}

//! The `amilab` command: parse arguments, run, exit with the documented code.

/// mimalloc: the simulation allocates many small strings, and glibc's allocator spent a third of
/// the time of a launch in its own bookkeeping.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(amilab::cli::main(std::env::args_os()))
}

//! amilab: a command-line course on AWS machine images, graded against a simulated EC2 cloud.
//!
//! Imports flow one way: `cli` → `lab` / `quiz` → `script` → `cloud`; [`report`] renders the one
//! result model. The simulation in [`cloud`] knows nothing of Rhai or YAML; [`script`] binds it
//! to Rhai with boto3's names and shapes.

pub mod assignment;
pub mod atomic_file;
pub mod batch;
pub mod bug;
pub mod cli;
pub mod concepts;
pub mod diagnostic;
pub mod lab;
pub mod learner;
pub mod limits;
pub mod memory;
pub mod quiz;
pub mod report;
pub mod script;
pub mod stats;
pub mod workspace;
pub mod yaml;

/// Every allocation is counted per thread, so the sandbox can hold a run to its memory
/// allowance ([`memory`]); declared here, not in `main`, so tests and benchmarks count too.
/// mimalloc underneath: the simulation allocates many small strings, and glibc's allocator spent
/// a third of the time of a launch in its own bookkeeping.
#[global_allocator]
static ALLOCATOR: memory::Counting<mimalloc::MiMalloc> = memory::Counting(mimalloc::MiMalloc);

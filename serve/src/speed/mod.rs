//! The parts of the host that exist only for speed: each keeps what the host answers exactly as
//! it would be without it, and was measured with `scripts/bench_serve.sh` against nginx on the
//! same files (docs/serve.md, "Load").
//!
//! - `sendfile`: each version of an installer copied once into sealed memory and sent to the
//!   socket by the kernel. The copy hyper made into the kernel was 60 % of the host's time on a
//!   4 MiB installer; without it the installer went from 0.72 to 0.92 of nginx's downloads/s.
//! - `changes`: inotify tells the manifest whether its folder changed, instead of a `stat` of
//!   the folder and of each installer per request (a sixth of the host's time under `perf`):
//!   the manifest went from 0.59 to about 0.77 of nginx's requests/s.
//! - `wrap`: middleware without axum's `from_fn`, which boxed a clone of the inner stack and a
//!   future per layer and request (37.3k to 32.6k instructions per request): the manifest went
//!   from 0.78–0.82 to 0.87–0.91 of nginx.
//! - `loops`: one single-threaded event loop per CPU fed in turn by one acceptor, as nginx runs
//!   one per worker: under tokio's work-stealing scheduler a few downloads under heavy load
//!   waited for seconds.

pub mod changes;
pub mod loops;
pub mod sendfile;
pub mod wrap;

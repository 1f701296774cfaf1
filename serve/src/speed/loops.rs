//! Accepting and serving connections: HTTP/1.1 with a header deadline, a cap on open
//! connections, and a graceful stop.
//!
//! `axum::serve` has no header-read timeout, so a client could hold a connection open forever
//! by sending nothing; hence hyper's own connection builder here. Only HTTP/1.1 is offered:
//! browsers speak HTTP/2 only over TLS, which a proxy in front would terminate, and with
//! HTTP/1.1 alone the header deadline runs from the moment a connection opens, and again
//! whenever a kept-alive connection waits for its next request.
//!
//! Connections are served by single-threaded event loops, one per thread, as nginx runs one
//! per worker: under load, tokio's work-stealing scheduler let a few downloads wait for seconds
//! (its I/O wake-ups queue behind tasks that yield). One acceptor deals the connections out in
//! turn, since loops accepting on a shared socket shared them unevenly, with the same effect.

use crate::access_log;
use crate::speed::sendfile::ZeroCopy;
use axum::extract::Request;
use axum::response::Response;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tower::Service;

/// The HTTP service the loops run (what `app::build` makes).
pub trait App:
    Service<Request<Incoming>, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + 'static
{
}

impl<S> App for S where
    S: Service<Request<Incoming>, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + 'static
{
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub shutdown_grace: Duration,
}

/// An accepted connection, with its place under the connection cap.
type Accepted = (std::net::TcpStream, OwnedSemaphorePermit);

pub struct Loops {
    inboxes: Vec<mpsc::Sender<Accepted>>,
    threads: Vec<JoinHandle<()>>,
}

impl Loops {
    pub fn start(count: usize, app: impl App, limits: Limits) -> std::io::Result<Loops> {
        let mut loops = Loops {
            inboxes: Vec::new(),
            threads: Vec::new(),
        };
        for n in 0..count {
            let (inbox, connections) = mpsc::channel(64);
            let app = app.clone();
            let thread = std::thread::Builder::new()
                .name(format!("cib-serve-{n}"))
                .spawn(move || {
                    access_log::hold_lines();
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .on_thread_park(access_log::flush)
                        .build();
                    match runtime {
                        Ok(runtime) => runtime.block_on(serve(connections, app, limits)),
                        Err(err) => eprintln!("cib serve: cannot start a loop: {err}"),
                    }
                    access_log::flush();
                })?;
            loops.inboxes.push(inbox);
            loops.threads.push(thread);
        }
        Ok(loops)
    }

    /// Accepts until `stop`, then waits for the loops to finish the requests in flight.
    pub async fn accept(
        self,
        listener: TcpListener,
        limits: Limits,
        stop: impl Future<Output = ()>,
    ) {
        let open = Arc::new(Semaphore::new(limits.max_connections));
        tokio::pin!(stop);
        for inbox in self.inboxes.iter().cycle() {
            // Waiting for a free slot before accepting leaves further clients in the kernel's
            // queue instead of accepting connections that nothing would serve.
            let slot = tokio::select! {
                slot = open.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
                () = &mut stop => break,
            };
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(err) => {
                        // Out of file descriptors, typically: wait for some to be released.
                        eprintln!("cib serve: accept failed: {err}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut stop => break,
            };
            let _ = stream.set_nodelay(true);
            // Moving to another runtime: the socket leaves this one's reactor.
            let Ok(stream) = stream.into_std() else {
                continue;
            };
            if inbox.send((stream, slot)).await.is_err() {
                eprintln!("cib serve: a serving loop has stopped");
                break;
            }
        }
        drop(listener);
        eprintln!("cib serve: stopping; finishing requests in flight");
        // Closing the inboxes tells the loops to stop.
        drop(self.inboxes);
        for thread in self.threads {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

async fn serve(mut connections: mpsc::Receiver<Accepted>, app: impl App, limits: Limits) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // Request heads are small here; this caps what a client can make the host buffer.
        .max_buf_size(64 * 1024);
    let graceful = GracefulShutdown::new();
    while let Some((stream, slot)) = connections.recv().await {
        let Ok(stream) = TcpStream::from_std(stream) else {
            continue;
        };
        let stream = TokioIo::new(ZeroCopy::new(stream));
        let connection = builder.serve_connection(stream, TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients hanging up or timing out; the request log has the rest.
            let _ = connection.await;
            drop(slot);
        });
    }
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!(
            "cib serve: gave up on requests still running after {}s",
            limits.shutdown_grace.as_secs()
        );
    }
}

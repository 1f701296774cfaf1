//! The accept loop: HTTP/1.1 connections with a header deadline, a cap on open connections, and
//! a graceful stop on Ctrl-C or SIGTERM.
//!
//! `axum::serve` has no header-read timeout, so a client could hold a connection open forever
//! by sending nothing; hence hyper's own connection builder here. Only HTTP/1.1 is offered:
//! browsers speak HTTP/2 only over TLS, which a proxy in front would terminate, and with
//! HTTP/1.1 alone the header deadline runs from the first byte of every connection.

use axum::extract::Request;
use axum::response::Response;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub shutdown_grace: Duration,
}

pub async fn serve<S>(listener: TcpListener, app: S, limits: Limits, stop: impl Future<Output = ()>)
where
    S: Service<Request<hyper::body::Incoming>, Response = Response, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        // Request heads are small here; this caps what a client can make the host buffer.
        .max_buf_size(64 * 1024);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);

    loop {
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
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are clients hanging up or timing out; the request log has the rest.
            let _ = connection.await;
            drop(slot);
        });
    }

    drop(listener);
    eprintln!("cib serve: stopping; finishing requests in flight");
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

/// Ctrl-C or SIGTERM. The handlers are installed by this call, not at the first poll, so a
/// signal that arrives right after start-up already stops the host cleanly.
#[cfg(unix)]
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
pub fn stop_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

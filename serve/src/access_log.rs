//! One line on stderr per request: method, path, status, bytes sent, time taken.
//!
//! The line is written when the response body is finished or dropped, so the byte count and the
//! time cover the whole download, and a download the client gave up on still gets its line.
//!
//! A serving loop keeps its lines until it has nothing left to do (see [`hold_lines`]): under
//! load one write then carries many lines, where a write per line cost a twentieth of the
//! host's time; when idle, a line goes out as soon as its request is done.

use crate::served::declared_length;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use http_body::{Body as _, Frame, SizeHint};
use std::cell::RefCell;
use std::io::Write;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Instant;

pub struct Line {
    started: Instant,
    method: Method,
    path: String,
    status: StatusCode,
}

impl Line {
    pub fn start(request: &Request) -> Line {
        Line {
            started: Instant::now(),
            method: request.method().clone(),
            path: request.uri().path().to_owned(),
            status: StatusCode::OK,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The line is written when the returned response's body is done with.
    pub fn finish(self, response: Response) -> Response {
        let expected = if self.method == Method::HEAD {
            Some(0)
        } else {
            declared_length(&response).or(response.body().size_hint().exact())
        };
        let line = Line {
            status: response.status(),
            ..self
        };
        response.map(|inner| {
            Body::new(Counted {
                expected,
                inner,
                line,
                bytes: 0,
                finished: false,
            })
        })
    }
}

struct Counted {
    inner: Body,
    line: Line,
    /// Hyper stops polling once it has sent a declared length, so the end of the stream is
    /// not always seen; the length then tells whether all was sent.
    expected: Option<u64>,
    bytes: u64,
    finished: bool,
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let frame = ready!(Pin::new(&mut self.inner).poll_frame(cx));
        match &frame {
            Some(Ok(frame)) => self.bytes += frame.data_ref().map_or(0, |data| data.len() as u64),
            None => self.finished = true,
            Some(Err(_)) => {}
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let Line {
            started,
            method,
            path,
            status,
        } = &self.line;
        let complete =
            self.finished || self.inner.is_end_stream() || self.expected == Some(self.bytes);
        let cut = if complete { "" } else { " (cut short)" };
        let micros = started.elapsed().as_micros();
        emit(format_args!(
            "{method} {path} {} {}B {}.{}ms{cut}\n",
            status.as_u16(),
            self.bytes,
            micros / 1000,
            micros % 1000 / 100,
        ));
    }
}

/// Beyond this, held lines go out without waiting for the loop to be idle.
const HELD_AT_MOST: usize = 32 * 1024;

thread_local! {
    static HELD: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// From now on, this thread's lines wait for [`flush`]. For the serving loops, which flush
/// whenever they go idle and when they stop.
pub fn hold_lines() {
    HELD.with(|held| *held.borrow_mut() = Some(Vec::with_capacity(HELD_AT_MOST)));
}

/// Writes the lines this thread holds. Each write holds whole lines, so lines from concurrent
/// loops never interleave.
pub fn flush() {
    let _ = HELD.try_with(|held| {
        if let Some(lines) = held.borrow_mut().as_mut().filter(|lines| !lines.is_empty()) {
            let _ = std::io::stderr().write_all(lines);
            lines.clear();
        }
    });
}

fn emit(line: std::fmt::Arguments<'_>) {
    let held = HELD.try_with(|held| {
        let mut held = held.borrow_mut();
        let lines = held.as_mut()?;
        let _ = lines.write_fmt(line);
        Some(lines.len() >= HELD_AT_MOST)
    });
    match held {
        Ok(Some(true)) => flush(),
        Ok(Some(false)) => {}
        // Not a serving loop: the line goes out at once, in one write.
        _ => {
            let _ = std::io::stderr().write_all(line.to_string().as_bytes());
        }
    }
}

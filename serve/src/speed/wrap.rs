//! Middleware that looks at a request before the inner service and at its answer after.
//!
//! axum's `from_fn` does this with a boxed clone of the whole inner stack and a boxed future
//! per request and layer; with three such layers that was a quarter of the host's work on a
//! small file. A [`Wrap`] says what to do before and after, and [`Wrapped`] calls the inner
//! service as it is, with a future that is not boxed.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http;
use axum::response::Response;
use axum::BoxError;
use pin_project_lite::pin_project;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tower::{Layer, Service};

pub trait Wrap: Clone {
    /// What `after` needs to know of the request.
    type Noted;

    /// What to note, and the answer if the request goes no further.
    fn before(&self, request: &Request) -> (Self::Noted, Option<Response>);

    /// The answer as it leaves, whether the inner service or `before` gave it.
    fn after(noted: Self::Noted, response: Response) -> Response {
        let _ = noted;
        response
    }
}

#[derive(Clone)]
pub struct WrapLayer<W>(pub W);

impl<W: Wrap, S> Layer<S> for WrapLayer<W> {
    type Service = Wrapped<W, S>;

    fn layer(&self, inner: S) -> Wrapped<W, S> {
        Wrapped {
            wrap: self.0.clone(),
            inner,
        }
    }
}

#[derive(Clone)]
pub struct Wrapped<W, S> {
    wrap: W,
    inner: S,
}

impl<W, S, B> Service<Request> for Wrapped<W, S>
where
    W: Wrap,
    S: Service<Request, Response = http::Response<B>, Error = Infallible>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = WrappedFuture<W, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let (noted, answer) = self.wrap.before(&request);
        let stage = match answer {
            Some(response) => Stage::Answered {
                response: Some(response),
            },
            None => Stage::Inner {
                future: self.inner.call(request),
            },
        };
        WrappedFuture {
            noted: Some(noted),
            stage,
        }
    }
}

pin_project! {
    pub struct WrappedFuture<W: Wrap, F> {
        noted: Option<W::Noted>,
        #[pin]
        stage: Stage<F>,
    }
}

pin_project! {
    #[project = StageProjection]
    enum Stage<F> {
        Answered { response: Option<Response> },
        Inner { #[pin] future: F },
    }
}

impl<W, F, B> Future for WrappedFuture<W, F>
where
    W: Wrap,
    F: Future<Output = Result<http::Response<B>, Infallible>>,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let response = match this.stage.project() {
            StageProjection::Answered { response } => response.take(),
            StageProjection::Inner { future } => Some(ready!(future.poll(cx))?.map(Body::new)),
        };
        let (Some(response), Some(noted)) = (response, this.noted.take()) else {
            panic!("WrappedFuture polled after it finished");
        };
        Poll::Ready(Ok(W::after(noted, response)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};
    use tower::ServiceExt;

    /// Refuses `/no`, and marks every answer with the path asked for.
    #[derive(Clone)]
    struct Mark;

    impl Wrap for Mark {
        type Noted = String;

        fn before(&self, request: &Request) -> (String, Option<Response>) {
            let path = request.uri().path().to_owned();
            let refusal = (path == "/no").then(|| {
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::FORBIDDEN;
                response
            });
            (path, refusal)
        }

        fn after(path: String, mut response: Response) -> Response {
            let marked = HeaderValue::from_str(&path).unwrap();
            response.headers_mut().insert("x-path", marked);
            response
        }
    }

    #[tokio::test]
    async fn runs_after_on_answers_from_inside_and_from_before() {
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = calls.clone();
        let inner = tower::service_fn(move |_: Request| {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::future::ready(Ok::<_, Infallible>(Response::new("inner".to_owned())))
        });
        let service = WrapLayer(Mark).layer(inner);
        for (path, status) in [("/yes", StatusCode::OK), ("/no", StatusCode::FORBIDDEN)] {
            let request = Request::builder().uri(path).body(Body::empty()).unwrap();
            let response = service.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), status);
            assert_eq!(response.headers()["x-path"], path);
        }
        assert_eq!(
            calls.load(std::sync::atomic::Ordering::SeqCst),
            1,
            "/no reached inside"
        );
    }
}

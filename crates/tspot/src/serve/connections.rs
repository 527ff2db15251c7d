//! Serving connections with limits that axum::serve lacks: at most `max_connections` at once,
//! each closed when its request head takes longer than `header_read_timeout` from its first
//! byte or when it stays `idle_timeout` without a request.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::time::Instant;
use tower::ServiceExt;

/// At most one "connection limit reached" warning per this long.
const FULL_WARNING_INTERVAL: Duration = Duration::from_secs(60);

/// What a connection may do, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: u32,
}

/// Accepts connections and serves each on its own task, at most `limits.max_connections` at once:
/// at the limit no connection is accepted until one closes, so the next ones wait in the listen
/// backlog instead of holding open files. Once `stopping` turns true, stops accepting, lets each
/// connection finish the request in flight, and returns when all of them are closed.
pub async fn serve_connections(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections as usize));
    let mut warned_full: Option<Instant> = None;
    loop {
        let permit = match slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if warned_full.is_none_or(|at| at.elapsed() >= FULL_WARNING_INTERVAL) {
                    warned_full = Some(Instant::now());
                    tracing::warn!(
                        "{} connections are open, the most that --max-connections allows: \
                         further connections wait in the accept queue until one closes",
                        limits.max_connections
                    );
                }
                tokio::select! {
                    permit = slots.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break, // never closed
                    },
                    () = stopped(&mut stopping) => break,
                }
            }
        };
        let accepted = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = stopped(&mut stopping) => break,
        };
        let (stream, peer) = accepted;
        tokio::spawn(serve_connection(
            stream,
            peer,
            app.clone(),
            limits,
            stopping.clone(),
            permit,
        ));
    }
    // New connections are refused from here on; wait until every open one has closed.
    drop(listener);
    let _ = slots.acquire_many(limits.max_connections).await;
}

/// The next connection; errors are logged and retried (after a pause when the cause is not the
/// peer, such as too many open files).
async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept().await {
            Ok(accepted) => return accepted,
            Err(e) if is_connection_error(&e) => {
                tracing::debug!(error = %e, "a connection closed before it was accepted");
            }
            Err(e) => {
                let hint = if too_many_open_files(&e) {
                    ": lower --max-connections or raise the open-file limit (ulimit -n)"
                } else {
                    ""
                };
                tracing::warn!("cannot accept connections ({e}); retrying in 1s{hint}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

fn too_many_open_files(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        let code = e.raw_os_error();
        code == Some(Errno::MFILE.raw_os_error()) || code == Some(Errno::NFILE.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Resolves once `stopping` is true (or its sender is gone).
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|stopping| *stopping).await;
}

/// Serves one connection (HTTP/1.1 with keep-alive) until the client closes it, a timeout closes
/// it, or the server stops. `_slot` is its place among `--max-connections`, freed when it ends.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: axum::Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let activity = Arc::new(Activity::new());
    let io = hyper_util::rt::TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let service = hyper::service::service_fn({
        let activity = activity.clone();
        move |mut request: axum::http::Request<hyper::body::Incoming>| {
            // From here until the response is sent, no timeout applies.
            let in_flight = InFlight::start(activity.clone());
            request.extensions_mut().insert(ConnectInfo(peer));
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await?;
                Ok::<_, Infallible>(response.map(|body| TrackedBody {
                    inner: body,
                    _in_flight: in_flight,
                }))
            }
        }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper's own header timeout runs from the moment a connection waits for a request, so it
    // would also cut idle connections short; the watchdog below times the two apart. hyper's is
    // only a backstop for a head that starts in bytes read along with the previous request.
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.idle_timeout + limits.header_read_timeout);
    let connection = http.serve_connection(io, service);
    tokio::pin!(connection);

    let mut shutting_down = false;
    loop {
        let deadline = activity.deadline(&limits);
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(e) = served {
                    tracing::debug!(peer = %peer, error = %e, "connection ended");
                }
                return;
            }
            () = stopped(&mut stopping), if !shutting_down => {
                shutting_down = true;
                if activity.is_idle() {
                    return; // nothing in flight: close now
                }
                // Finish the request in flight, then close.
                connection.as_mut().graceful_shutdown();
            }
            () = activity.changed.notified() => {}
            () = sleep_until(deadline) => {
                match activity.deadline(&limits) {
                    Some((at, Timeout::Header)) if at <= Instant::now() => {
                        tracing::warn!(
                            peer = %peer,
                            "closed a connection whose request head was not complete within {} \
                             (--header-read-timeout)",
                            humantime::format_duration(limits.header_read_timeout)
                        );
                        return;
                    }
                    Some((at, Timeout::Idle)) if at <= Instant::now() => {
                        tracing::debug!(peer = %peer, "closed an idle connection");
                        return;
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Sleeps until `deadline`, or forever when there is none.
async fn sleep_until(deadline: Option<(Instant, Timeout)>) {
    match deadline {
        Some((at, _)) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Which timeout a connection's deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timeout {
    /// `--header-read-timeout`: a request head is arriving.
    Header,
    /// `--idle-timeout`: nothing is arriving.
    Idle,
}

/// What one connection is doing, as far as its timeouts go; shared by its watchdog, its socket
/// ([`Watched`]) and its requests ([`InFlight`]).
struct Activity {
    state: Mutex<ActivityState>,
    /// Woken when the state changes, so that the watchdog picks the new deadline.
    changed: Notify,
}

struct ActivityState {
    /// Requests being handled or whose response is being sent (one at a time in HTTP/1.1).
    in_flight: usize,
    /// When the connection opened or the last response was sent.
    idle_since: Instant,
    /// When the first bytes of the next request came, while none is in flight.
    head_since: Option<Instant>,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            state: Mutex::new(ActivityState {
                in_flight: 0,
                idle_since: Instant::now(),
                head_since: None,
            }),
            changed: Notify::new(),
        }
    }

    fn update(&self, change: impl FnOnce(&mut ActivityState) -> bool) {
        let changed = change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner));
        if changed {
            self.changed.notify_one();
        }
    }

    /// Bytes came from the client.
    fn bytes_read(&self) {
        self.update(|state| {
            let starts_head = state.in_flight == 0 && state.head_since.is_none();
            if starts_head {
                state.head_since = Some(Instant::now());
            }
            starts_head
        });
    }

    fn request_started(&self) {
        self.update(|state| {
            state.in_flight += 1;
            state.head_since = None;
            true
        });
    }

    fn request_finished(&self) {
        self.update(|state| {
            state.in_flight = state.in_flight.saturating_sub(1);
            if state.in_flight == 0 {
                state.idle_since = Instant::now();
                state.head_since = None;
            }
            true
        });
    }

    /// No request in flight and none arriving.
    fn is_idle(&self) -> bool {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.in_flight == 0 && state.head_since.is_none()
    }

    /// When the connection is to be closed, and why; none while a request is in flight.
    fn deadline(&self, limits: &Limits) -> Option<(Instant, Timeout)> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.in_flight > 0 {
            None
        } else if let Some(since) = state.head_since {
            Some((since + limits.header_read_timeout, Timeout::Header))
        } else {
            Some((state.idle_since + limits.idle_timeout, Timeout::Idle))
        }
    }
}

/// A request from its head to the end of its response (or until it is abandoned).
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(activity: Arc<Activity>) -> InFlight {
        activity.request_started();
        InFlight(activity)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

/// A response body that ends its request's [`InFlight`] when hyper is done with it.
struct TrackedBody {
    inner: axum::body::Body,
    _in_flight: InFlight,
}

impl http_body::Body for TrackedBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A connection's socket that reports the bytes it reads to the connection's [`Activity`].
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_follow_the_connection() {
        let limits = Limits {
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1,
        };
        let activity = Arc::new(Activity::new());
        let (at, which) = activity.deadline(&limits).unwrap();
        assert_eq!(which, Timeout::Idle);
        assert!(at > Instant::now() + Duration::from_secs(50));
        activity.bytes_read();
        assert_eq!(activity.deadline(&limits).unwrap().1, Timeout::Header);
        let in_flight = InFlight::start(activity.clone());
        assert_eq!(activity.deadline(&limits), None);
        activity.bytes_read(); // a pipelined request: the one in flight still counts
        assert_eq!(activity.deadline(&limits), None);
        drop(in_flight);
        assert_eq!(activity.deadline(&limits).unwrap().1, Timeout::Idle);
        assert!(activity.is_idle());
    }
}

//! Password hashing with bounded concurrency and a bounded queue.
//!
//! argon2id takes ~19 MiB and tens of milliseconds of one core per hash. Unbounded, a storm of
//! sign-ins takes every core and gigabytes of memory; here at most `concurrency` hashes run at
//! once (fewer than the cores, so other requests keep one), at most `queue` more wait, and the
//! rest are answered at once with 503 and `Retry-After`.
//!
//! Metrics: the hashes waiting ([`HASHING_QUEUE_DEPTH`]) and running ([`HASHING_RUNNING`]), and
//! the callers turned away ([`HASHING_REJECTED`]).

use std::sync::Arc;

use tokio::sync::Semaphore;
use tspot_server::ApiError;

use crate::metrics::{HASHING_QUEUE_DEPTH, HASHING_REJECTED, HASHING_RUNNING};

pub struct HashingPool {
    running: Arc<Semaphore>,
    admitted: Arc<Semaphore>,
}

/// The default number of hashes that run at once: all cores but one, at least one.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .max(1)
}

impl HashingPool {
    pub fn new(concurrency: usize, queue: usize) -> HashingPool {
        let concurrency = concurrency.max(1);
        HashingPool {
            running: Arc::new(Semaphore::new(concurrency)),
            admitted: Arc::new(Semaphore::new(concurrency + queue)),
        }
    }

    /// Runs `work` (which hashes or verifies passwords) on the blocking pool once a slot is
    /// free, or refuses at once when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(_admitted) = self.admitted.clone().try_acquire_owned() else {
            metrics::counter!(HASHING_REJECTED).increment(1);
            tracing::warn!("password hashing queue is full; answering 503");
            return Err(busy());
        };
        let waiting = Gauged::start(HASHING_QUEUE_DEPTH);
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        drop(waiting);
        let hashing = Gauged::start(HASHING_RUNNING);
        tokio::task::spawn_blocking(tspot_server::observe::carry(move || {
            let _running = (running, hashing);
            work()
        }))
        .await
        .map_err(ApiError::internal)
    }
}

/// One unit of a gauge while it lives (also when the future holding it is dropped).
struct Gauged(&'static str);

impl Gauged {
    fn start(gauge: &'static str) -> Gauged {
        metrics::gauge!(gauge).increment(1.0);
        Gauged(gauge)
    }
}

impl Drop for Gauged {
    fn drop(&mut self) {
        metrics::gauge!(self.0).decrement(1.0);
    }
}

fn busy() -> ApiError {
    ApiError::new(
        http::StatusCode::SERVICE_UNAVAILABLE,
        10000,
        "The server is busy checking passwords; retry in a second",
    )
    .with_header(
        http::header::RETRY_AFTER,
        http::HeaderValue::from_static("1"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_queue_callers_get_503_with_retry_after() {
        let pool = Arc::new(HashingPool::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(std::sync::Mutex::new(hold));
        let first = {
            let pool = pool.clone();
            let hold = hold.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = hold.lock().unwrap().recv();
                })
                .await
            })
        };
        // Wait until the first job holds the running slot.
        while pool.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let second = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(|| 2).await })
        };
        while pool.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let refused = pool.run(|| 3).await.unwrap_err();
        assert_eq!(refused.status(), http::StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            refused
                .headers()
                .iter()
                .any(|(name, value)| name == http::header::RETRY_AFTER && value == "1")
        );
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        assert_eq!(second.await.unwrap().unwrap(), 2);
        assert_eq!(pool.run(|| 4).await.unwrap(), 4);
    }
}

//! Password hashing with bounded concurrency and a bounded queue.
//!
//! argon2id takes ~19 MiB and tens of milliseconds of one core per hash. Unbounded, a storm of
//! sign-ins takes every core and gigabytes of memory; here at most `concurrency` hashes run at
//! once (fewer than the cores, so other requests keep one), at most `queue` more wait, and the
//! rest are answered at once with 503 and `Retry-After`.

use std::sync::Arc;

use tokio::sync::Semaphore;
use tspot_server::ApiError;

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
            tracing::warn!("password hashing queue is full; answering 503");
            return Err(busy());
        };
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _running = running;
            work()
        })
        .await
        .map_err(ApiError::internal)
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

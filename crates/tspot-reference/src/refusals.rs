//! Failed sign-ins are logged at WARN with the user name and client address (never the
//! password), but at most [`PER_SECOND`] a second: a storm of guesses cannot flood the log.
//! The first line held back in a second says so; the next second's first line says how many.
//! Every refusal, logged or not, counts in [`crate::metrics::SIGN_IN_REFUSALS`] by its reason.

use std::sync::Mutex;

/// Refusal lines logged per second at most.
pub const PER_SECOND: u32 = 10;

struct Window {
    second: u64,
    logged: u32,
    held_back: u64,
}

static WINDOW: Mutex<Window> = Mutex::new(Window {
    second: 0,
    logged: 0,
    held_back: 0,
});

/// What to do with one refusal line at `now_ms`.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Log it; `held_back` lines of earlier seconds were not logged.
    Log { held_back: u64 },
    /// Don't log it; the first such line of a second says that more are held back.
    HoldBack { first: bool },
}

fn judge(window: &mut Window, now_ms: i64) -> Verdict {
    let second = (now_ms.max(0) / 1000) as u64;
    if second != window.second {
        window.second = second;
        window.logged = 0;
    }
    if window.logged < PER_SECOND {
        window.logged += 1;
        let held_back = std::mem::take(&mut window.held_back);
        Verdict::Log { held_back }
    } else {
        window.held_back += 1;
        Verdict::HoldBack {
            first: window.held_back == 1,
        }
    }
}

/// The `reason` label of a refusal, from its log message.
fn reason(what: &str) -> &'static str {
    if what.starts_with("trusted authentication") {
        "trusted_auth_secret"
    } else if what.contains("throttled") {
        "throttled"
    } else if what.starts_with("password change") {
        "wrong_current_password"
    } else if what.starts_with("sign-in") {
        "wrong_credentials"
    } else {
        "other"
    }
}

/// Logs a refused sign-in, rate-limited, and counts it.
pub fn warn(what: &str, user: &str, client: &str) {
    metrics::counter!(crate::metrics::SIGN_IN_REFUSALS, "reason" => reason(what)).increment(1);
    let verdict = judge(
        &mut WINDOW.lock().unwrap_or_else(|p| p.into_inner()),
        crate::clock::now_ms(),
    );
    match verdict {
        Verdict::Log { held_back: 0 } => tracing::warn!(%user, %client, "{what}"),
        Verdict::Log { held_back } => {
            tracing::warn!(%user, %client, held_back, "{what} (earlier refusals not logged: {held_back})")
        }
        Verdict::HoldBack { first: true } => tracing::warn!(
            "more than {PER_SECOND} refused sign-ins this second; the rest are counted, not logged"
        ),
        Verdict::HoldBack { first: false } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_counted_by_reason() {
        for (what, expected) in [
            ("sign-in refused: throttled after failures", "throttled"),
            (
                "sign-in refused: wrong user name or password",
                "wrong_credentials",
            ),
            (
                "password change refused: wrong current password",
                "wrong_current_password",
            ),
            (
                "trusted authentication refused: wrong or throttled secret key",
                "trusted_auth_secret",
            ),
        ] {
            assert_eq!(reason(what), expected, "{what}");
        }
    }

    #[test]
    fn at_most_ten_lines_a_second_and_the_count_of_the_rest() {
        let mut window = Window {
            second: 0,
            logged: 0,
            held_back: 0,
        };
        for _ in 0..PER_SECOND {
            assert_eq!(judge(&mut window, 5_000), Verdict::Log { held_back: 0 });
        }
        assert_eq!(judge(&mut window, 5_100), Verdict::HoldBack { first: true });
        assert_eq!(
            judge(&mut window, 5_200),
            Verdict::HoldBack { first: false }
        );
        assert_eq!(judge(&mut window, 6_000), Verdict::Log { held_back: 2 });
        assert_eq!(judge(&mut window, 6_001), Verdict::Log { held_back: 0 });
    }
}

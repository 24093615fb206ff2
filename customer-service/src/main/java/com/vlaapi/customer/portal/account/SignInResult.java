package com.vlaapi.customer.portal.account;

import java.time.Duration;

/** What a sign-in attempt gave: the user, or why not. */
public sealed interface SignInResult {

    record SignedIn(PortalUser user) implements SignInResult {
    }

    /** The password was right; the user's authenticator code must follow. */
    record NeedsCode(PortalUser user) implements SignInResult {
    }

    /** Wrong email or password (or code): the answer does not say which. */
    record Refused() implements SignInResult {
    }

    /** Too many wrong passwords: no password is checked until the wait is over. */
    record SlowedDown(Duration retryAfter) implements SignInResult {
    }
}

package com.vlaapi.customer.portal.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.portal.PortalBrowser;
import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The optional second factor over HTTP: turned on with a code, then asked for at every sign-in, each code once. */
class SecondFactorTest extends IntegrationTest {

    private static final String PASSWORD = "correct horse battery";
    private static final Pattern SECRET = Pattern.compile("id=\"secret\" type=\"text\" readonly value=\"([A-Z2-7]{32})\"");

    @Autowired
    private Clock clock;

    @Test
    void onceTurnedOnSignInNeedsTheAppsCurrentCodeAndEachCodeWorksOnce() {
        String email = "two-step-" + UUID.randomUUID() + "@example.com";
        PortalBrowser browser = activated(email);
        browser.get("/portal/security");
        PortalBrowser.Page enrolment = browser.post("/portal/security/second-factor/new", Map.of());
        Matcher found = SECRET.matcher(enrolment.body());
        assertThat(found.find()).as(enrolment.body()).isTrue();
        String secret = found.group(1);
        assertThat(enrolment.body()).contains("otpauth://totp/");

        assertThat(browser.post("/portal/security/second-factor", Map.of("secret", secret, "code", "000000")).status())
                .isEqualTo(400);
        assertThat(browser.post("/portal/security/second-factor", Map.of("secret", secret, "code", code(secret, 0)))
                .status()).isEqualTo(302);
        assertThat(browser.get("/portal/security").body()).contains("On: signing in asks");

        PortalBrowser next = new PortalBrowser(port());
        next.get("/portal/sign-in");
        PortalBrowser.Page password = next.post("/portal/sign-in", Map.of("email", email, "password", PASSWORD));
        assertThat(password.status()).isEqualTo(302);
        assertThat(password.location()).isEqualTo("/portal/sign-in/code");
        assertThat(next.get("/portal/keys").status()).as("not signed in before the code").isEqualTo(302);
        next.get("/portal/sign-in/code");
        assertThat(next.post("/portal/sign-in/code", Map.of("code", "123456")).status()).isEqualTo(401);
        // The code that turned it on was of this step at the latest; the next step's code is new.
        String nextCode = code(secret, 30);
        PortalBrowser.Page signedIn = next.post("/portal/sign-in/code", Map.of("code", nextCode));
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.location()).isEqualTo("/portal");
        assertThat(next.get("/portal/keys").status()).isEqualTo(200);

        PortalBrowser replay = new PortalBrowser(port());
        replay.get("/portal/sign-in");
        replay.post("/portal/sign-in", Map.of("email", email, "password", PASSWORD));
        replay.get("/portal/sign-in/code");
        assertThat(replay.post("/portal/sign-in/code", Map.of("code", nextCode)).status())
                .as("a code signs in once").isEqualTo(401);
    }

    @Test
    void theCodeStepCannotBeReachedWithoutThePassword() {
        PortalBrowser stranger = new PortalBrowser(port());
        assertThat(stranger.get("/portal/sign-in/code").location()).isEqualTo("/portal/sign-in");
        stranger.get("/portal/sign-in");
        assertThat(stranger.post("/portal/sign-in/code", Map.of("code", "123456")).location())
                .isEqualTo("/portal/sign-in");
    }

    /** The code an authenticator app shows, by the service's own clock (codes are checked against it). */
    private String code(String secret, long secondsFromNow) {
        return Totp.code(Totp.unbase32(secret), Totp.step(clock.instant().getEpochSecond() + secondsFromNow));
    }

    private PortalBrowser activated(String email) {
        String customer = createCustomer("pro").json().path("customer").path("customer_id").asString();
        Response invited = admin.post("/admin/v1/customers/" + customer + "/portal-users",
                "{\"email\": \"" + email + "\", \"role\": \"viewer\"}");
        String link = URI.create(invited.json().path("invitation_url").asString()).getPath();
        PortalBrowser browser = new PortalBrowser(port());
        browser.get(link);
        assertThat(browser.post(link, Map.of("password", PASSWORD, "repeated", PASSWORD)).status()).isEqualTo(302);
        return browser;
    }
}

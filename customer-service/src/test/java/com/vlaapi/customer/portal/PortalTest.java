package com.vlaapi.customer.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal over HTTP as a browser uses it, against the real database: invitation, sign-in and its
 * slow-down, CSRF, cookie flags, CSP, what each page shows, viewers against admins, and one
 * customer's user reaching for another's keys, users, requests and invoices by changing ids.
 * billing- and inference-service are stand-ins here; the browser test (bench's PortalBrowserIT)
 * runs the portal against the real fleet in Chromium.
 */
class PortalTest extends IntegrationTest {

    private static final String PASSWORD = "correct horse battery";
    private static final NeighbourStandIn billing = new NeighbourStandIn();
    private static final NeighbourStandIn inference = new NeighbourStandIn();

    @DynamicPropertySource
    static void neighbours(DynamicPropertyRegistry registry) {
        registry.add("vla.customer.portal.billing-url", billing::url);
        registry.add("vla.customer.portal.inference-urls", inference::url);
        registry.add("vla.customer.portal.public-url", () -> "https://portal.example.com");
    }

    @AfterAll
    static void stopNeighbours() {
        billing.close();
        inference.close();
    }

    private UUID customer;
    private UUID otherCustomer;

    @BeforeEach
    void twoCustomers() {
        billing.calls.clear();
        inference.calls.clear();
        customer = UUID.fromString(createCustomer("pro").json().path("customer").path("customer_id").asString());
        otherCustomer = UUID.fromString(createCustomer("pro").json().path("customer").path("customer_id").asString());
    }

    @Test
    void anInvitedUserSetsAPasswordSignsInAndSeesUsageAndCost() {
        billing.answerJson("/internal/v1/customers/" + customer + "/billing-summary", """
                {"customer_id": "%s", "month": "2026-12", "tier": "pro", "currency": "USD", "requests": 36450,
                 "cost_so_far": "500.00", "projected_requests": 80000, "projected_cost": "500.00",
                 "daily": [{"date": "2026-11-30", "requests": 0}, {"date": "2026-12-01", "requests": 36450}]}"""
                .formatted(customer));
        inference.answerJson("/internal/v1/customers/" + customer + "/safety-summary", """
                {"window": "this month", "requests": 200, "clipped": 10, "out_of_distribution": 1,
                 "clipped_share": 0.05, "out_of_distribution_share": 0.005}""");

        PortalBrowser browser = signedIn(customer, "admin");
        PortalBrowser.Page overview = browser.get("/portal");

        assertThat(overview.status()).isEqualTo(200);
        assertThat(overview.body()).contains("36,450").contains("100,000").contains("36.5%")
                .contains("$500.00").contains("5.0%").contains("2026-12-01: 36450 requests");
        assertThat(billing.calls).allMatch(call -> call.path().contains(customer.toString()))
                .allMatch(call -> call.credential().equals(INTERNAL_TOKEN));
    }

    @Test
    void theSessionCookieIsSecureHttpOnlySameSiteStrictAndPagesSendAStrictCsp() {
        PortalBrowser browser = new PortalBrowser(port());
        String link = invite(customer, "admin");
        browser.get(link);
        PortalBrowser.Page accepted = browser.post(link, Map.of("password", PASSWORD, "repeated", PASSWORD));

        String cookie = accepted.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("VLA_PORTAL=")).findFirst().orElseThrow();
        assertThat(cookie).contains("Secure").contains("HttpOnly").contains("SameSite=Strict").contains("Path=/portal");
        String csp = browser.get("/portal/keys").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        String csrfCookie = accepted.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("VLA_PORTAL_CSRF=")).findFirst()
                .orElseGet(() -> new PortalBrowser(port()).get("/portal/sign-in").headers().allValues("Set-Cookie")
                        .stream().filter(value -> value.startsWith("VLA_PORTAL_CSRF=")).findFirst().orElseThrow());
        assertThat(csrfCookie).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
    }

    @Test
    void sessionsLiveInPostgresOnlyForSignedInUsers() {
        long before = storedSessions();
        PortalBrowser visitor = new PortalBrowser(port());
        visitor.get("/portal/sign-in");
        visitor.get("/portal");
        visitor.post("/portal/sign-in", Map.of("email", "nobody@example.com", "password", "wrong password"));
        assertThat(visitor.hasCookie("VLA_PORTAL")).isFalse();
        assertThat(storedSessions()).isEqualTo(before);

        PortalBrowser user = signedIn(customer, "viewer");
        assertThat(storedSessions()).isEqualTo(before + 1);
        user.get("/portal/keys");
        assertThat(user.post("/portal/sign-out", Map.of()).status()).isEqualTo(302);
        assertThat(storedSessions()).isEqualTo(before);
        assertThat(user.get("/portal/keys").status()).isEqualTo(302);
    }

    private long storedSessions() {
        return database.jdbc().queryForObject("SELECT count(*) FROM customer.spring_session", Long.class);
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefused() {
        PortalBrowser browser = signedIn(customer, "admin");
        int keysBefore = admin.get("/admin/v1/customers/" + customer + "/api-keys").json().path("api_keys").size();

        PortalBrowser.Page refused = browser.postRaw("/portal/keys", Map.of("name", "forged"));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(admin.get("/admin/v1/customers/" + customer + "/api-keys").json().path("api_keys").size())
                .isEqualTo(keysBefore);
        assertThat(browser.postRaw("/portal/sign-in", Map.of("email", "x@example.com", "password", "y")).status())
                .isEqualTo(403);
    }

    @Test
    void tenWrongPasswordsSlowSignInDownEvenForTheRightPassword() {
        String email = "slow-" + UUID.randomUUID() + "@example.com";
        activate(inviteAs(customer, email, "viewer"));
        PortalBrowser browser = new PortalBrowser(port());
        browser.get("/portal/sign-in");

        PortalBrowser.Page last = null;
        for (int i = 0; i < 10; i++) {
            last = browser.post("/portal/sign-in", Map.of("email", email, "password", "wrong password " + i));
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body()).contains("Too many wrong passwords");

        PortalBrowser.Page right = browser.post("/portal/sign-in", Map.of("email", email, "password", PASSWORD));
        assertThat(right.status()).isEqualTo(429);
        assertThat(browser.get("/portal/keys").status()).isEqualTo(302);
    }

    @Test
    void aWrongPasswordDoesNotSayWhetherTheEmailExists() {
        String email = "known-" + UUID.randomUUID() + "@example.com";
        activate(inviteAs(customer, email, "viewer"));
        PortalBrowser browser = new PortalBrowser(port());
        browser.get("/portal/sign-in");

        PortalBrowser.Page known = browser.post("/portal/sign-in", Map.of("email", email, "password", "wrong password"));
        PortalBrowser.Page unknown = browser.post("/portal/sign-in",
                Map.of("email", "nobody-" + UUID.randomUUID() + "@example.com", "password", "wrong password"));

        assertThat(known.status()).isEqualTo(401).isEqualTo(unknown.status());
        assertThat(known.body()).contains("Wrong email or password.");
        assertThat(unknown.body()).contains("Wrong email or password.");
    }

    @Test
    void pagesNeedASignedInUser() {
        PortalBrowser browser = new PortalBrowser(port());
        for (String page : new String[] {"/portal", "/portal/keys", "/portal/requests", "/portal/invoices", "/portal/team"}) {
            PortalBrowser.Page answer = browser.get(page);
            assertThat(answer.status()).as(page).isEqualTo(302);
            assertThat(answer.location()).as(page).endsWith("/portal/sign-in");
        }
    }

    @Test
    void anAdminCreatesRevokesAndRotatesKeysAndTheNewKeyIsShownOnce() {
        PortalBrowser browser = signedIn(customer, "admin");
        browser.get("/portal/keys");

        PortalBrowser.Page created = browser.post("/portal/keys", Map.of("name", "arm-1"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        String key = between(created.body(), "id=\"new-key\" type=\"text\" readonly value=\"", "\"");
        assertThat(key).startsWith("vla_live_");
        UUID keyId = newestKeyId(customer);
        assertThat(browser.get("/portal/keys").body()).contains(key.substring(0, 13)).doesNotContain(key);

        browser.get("/portal/keys");
        PortalBrowser.Page rotated = browser.post("/portal/keys/" + keyId + "/rotate", Map.of("graceSeconds", "3600"));
        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.body()).contains("works until");

        browser.get("/portal/keys");
        assertThat(browser.post("/portal/keys/" + keyId + "/revoke", Map.of()).status()).isEqualTo(302);
        assertThat(keyStatus(customer, keyId)).isEqualTo("revoked");
    }

    @Test
    void aViewerSeesKeysButCannotManageKeysOrUsers() {
        UUID keyId = newestKeyId(customer);
        PortalBrowser browser = signedIn(customer, "viewer");

        PortalBrowser.Page keys = browser.get("/portal/keys");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(keys.body()).doesNotContain("create-key-form").doesNotContain("Revoke");
        assertThat(browser.post("/portal/keys", Map.of("name", "x")).status()).isEqualTo(403);
        browser.get("/portal/keys");
        assertThat(browser.post("/portal/keys/" + keyId + "/revoke", Map.of()).status()).isEqualTo(403);
        browser.get("/portal/team");
        assertThat(browser.post("/portal/team", Map.of("email", "new@example.com", "role", "admin")).status())
                .isEqualTo(403);
        assertThat(keyStatus(customer, keyId)).isEqualTo("active");
    }

    @Test
    void aUserCannotTouchAnotherCustomersKeysUsersRequestsOrInvoicesByChangingIds() {
        UUID theirKey = newestKeyId(otherCustomer);
        UUID theirUser = UUID.fromString(admin.post("/admin/v1/customers/" + otherCustomer + "/portal-users",
                "{\"email\": \"theirs-" + UUID.randomUUID() + "@example.com\", \"role\": \"viewer\"}").json()
                .path("user_id").asString());
        UUID theirRequest = UUID.randomUUID();
        UUID theirInvoice = UUID.randomUUID();
        inference.answerJson("/internal/v1/customers/" + otherCustomer + "/requests/" + theirRequest,
                "{\"request_id\": \"" + theirRequest + "\", \"instruction\": \"their secret\"}");
        inference.answer("/internal/v1/customers/" + otherCustomer + "/requests/" + theirRequest + "/image",
                "image/png", new byte[] {1, 2, 3});
        billing.answer("/internal/v1/customers/" + otherCustomer + "/invoices/" + theirInvoice + "/csv",
                "text/csv", "their invoice".getBytes());
        PortalBrowser browser = signedIn(customer, "admin");

        browser.get("/portal/keys");
        assertThat(browser.post("/portal/keys/" + theirKey + "/revoke", Map.of()).status()).isEqualTo(404);
        browser.get("/portal/keys");
        assertThat(browser.post("/portal/keys/" + theirKey + "/rotate", Map.of()).status()).isEqualTo(404);
        browser.get("/portal/team");
        assertThat(browser.post("/portal/team/" + theirUser + "/remove", Map.of()).status()).isEqualTo(404);
        PortalBrowser.Page request = browser.get("/portal/requests/" + theirRequest);
        assertThat(request.status()).isEqualTo(404);
        assertThat(request.body()).doesNotContain("their secret");
        assertThat(browser.get("/portal/requests/" + theirRequest + "/image").status()).isEqualTo(404);
        PortalBrowser.Page invoice = browser.get("/portal/invoices/" + theirInvoice + ".csv");
        assertThat(invoice.status()).isEqualTo(404);
        assertThat(invoice.body()).doesNotContain("their invoice");
        assertThat(browser.get("/portal/requests/not-a-uuid").status()).isEqualTo(404);

        assertThat(keyStatus(otherCustomer, theirKey)).isEqualTo("active");
        assertThat(admin.get("/admin/v1/customers/" + otherCustomer + "/portal-users").json().path("portal_users").size())
                .isEqualTo(1);
        assertThat(inference.calls).noneMatch(call -> call.path().contains(otherCustomer.toString()));
        assertThat(billing.calls).noneMatch(call -> call.path().contains(otherCustomer.toString()));
    }

    @Test
    void recentRequestsListTheCustomersInstructionsAndAStoredImage() {
        UUID id = UUID.randomUUID();
        inference.answerJson("/internal/v1/customers/" + customer + "/requests", """
                {"requests": [{"request_id": "%s", "timestamp": "2026-12-01T10:00:00Z", "instruction": "go to the purple tube",
                  "status_code": 200, "total_latency_ms": 12.5, "safety_score": 0.97, "safety_flags": [],
                  "model": "tabletop-v1", "image_stored": true}]}""".formatted(id));
        inference.answer("/internal/v1/customers/" + customer + "/requests/" + id + "/image", "image/png",
                new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        PortalBrowser browser = signedIn(customer, "viewer");

        PortalBrowser.Page list = browser.get("/portal/requests?status=error");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("go to the purple tube").contains("12.5 ms").contains("0.97");
        assertThat(inference.calls).anyMatch(call -> call.path().equals(
                "/internal/v1/customers/" + customer + "/requests?limit=100&status=error"));
        PortalBrowser.Page image = browser.get("/portal/requests/" + id + "/image");
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
    }

    @Test
    void aRemovedUsersSessionEndsAtTheNextClickAndTheLastAdminStays() {
        String email = "leaving-" + UUID.randomUUID() + "@example.com";
        PortalBrowser leaving = new PortalBrowser(port());
        activate(leaving, inviteAs(customer, email, "viewer"));
        assertThat(leaving.get("/portal/keys").status()).isEqualTo(200);
        PortalBrowser admins = signedIn(customer, "admin");
        UUID leavingId = userId(customer, email);

        admins.get("/portal/team");
        assertThat(admins.post("/portal/team/" + leavingId + "/remove", Map.of()).status()).isEqualTo(302);

        assertThat(leaving.get("/portal/keys").status()).isEqualTo(302);
        UUID onlyAdmin = admin.get("/admin/v1/customers/" + customer + "/portal-users").json().path("portal_users")
                .valueStream().filter(user -> user.path("role").asString().equals("admin"))
                .map(user -> UUID.fromString(user.path("user_id").asString())).findFirst().orElseThrow();
        assertThat(admin.send(admin.request("/admin/v1/customers/" + customer + "/portal-users/" + onlyAdmin).DELETE())
                .status()).isEqualTo(409);
    }

    @Test
    void anInvitationLinkWorksOnceAndInvitesAreValidated() {
        String link = invite(customer, "viewer");
        activate(link);
        assertThat(new PortalBrowser(port()).get(link).status()).isEqualTo(404);

        assertThat(admin.post("/admin/v1/customers/" + customer + "/portal-users",
                "{\"email\": \"not an email\"}").errorCode()).isEqualTo("invalid_email");
        assertThat(admin.post("/admin/v1/customers/" + customer + "/portal-users",
                "{\"email\": \"a@example.com\", \"role\": \"owner\"}").errorCode()).isEqualTo("invalid_role");
        String email = "twice-" + UUID.randomUUID() + "@example.com";
        inviteAs(customer, email, "viewer");
        assertThat(admin.post("/admin/v1/customers/" + customer + "/portal-users",
                "{\"email\": \"" + email.toUpperCase() + "\"}").status()).isEqualTo(409);
        assertThat(admin.post("/admin/v1/customers/" + UUID.randomUUID() + "/portal-users",
                "{\"email\": \"b@example.com\"}").status()).isEqualTo(404);
    }

    @Test
    void theApisGetNoSessionAndKeepTheirJsonErrors() {
        Response response = admin.get("/admin/v1/customers/" + customer);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        Response unknown = admin.get("/admin/v1/customers/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("customer_not_found");
    }

    private PortalBrowser signedIn(UUID customerId, String role) {
        PortalBrowser browser = new PortalBrowser(port());
        activate(browser, invite(customerId, role));
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.get("/portal/keys").status() == 200);
        return browser;
    }

    private String invite(UUID customerId, String role) {
        return inviteAs(customerId, role + "-" + UUID.randomUUID() + "@example.com", role);
    }

    /** The invitation link's path: the public URL is another host's, the test speaks to the service itself. */
    private String inviteAs(UUID customerId, String email, String role) {
        Response invited = admin.post("/admin/v1/customers/" + customerId + "/portal-users",
                "{\"email\": \"" + email + "\", \"role\": \"" + role + "\"}");
        assertThat(invited.status()).isEqualTo(201);
        URI link = URI.create(invited.json().path("invitation_url").asString());
        assertThat(link.getHost()).isEqualTo("portal.example.com");
        return link.getPath();
    }

    private void activate(String link) {
        activate(new PortalBrowser(port()), link);
    }

    private void activate(PortalBrowser browser, String link) {
        assertThat(browser.get(link).status()).isEqualTo(200);
        PortalBrowser.Page accepted = browser.post(link, Map.of("password", PASSWORD, "repeated", PASSWORD));
        assertThat(accepted.status()).isEqualTo(302);
        assertThat(accepted.location()).isEqualTo("/portal");
    }

    /** Keys are listed oldest first; a new customer comes with one. */
    private UUID newestKeyId(UUID customerId) {
        var keys = admin.get("/admin/v1/customers/" + customerId + "/api-keys").json().path("api_keys");
        return UUID.fromString(keys.get(keys.size() - 1).path("key_id").asString());
    }

    private String keyStatus(UUID customerId, UUID keyId) {
        return admin.get("/admin/v1/customers/" + customerId + "/api-keys").json().path("api_keys").valueStream()
                .filter(key -> key.path("key_id").asString().equals(keyId.toString()))
                .findFirst().orElseThrow().path("status").asString();
    }

    private UUID userId(UUID customerId, String email) {
        return admin.get("/admin/v1/customers/" + customerId + "/portal-users").json().path("portal_users").valueStream()
                .filter(user -> user.path("email").asString().equals(email))
                .map(user -> UUID.fromString(user.path("user_id").asString())).findFirst().orElseThrow();
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("page contains " + start).isNotNegative();
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}

package com.vlaapi.customer.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.customer.support.OperatorScript;
import com.vlaapi.customer.support.OperatorScript.Run;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** bin/vla invite against the real service: the link it prints sets a password once. */
class InviteScriptTest extends IntegrationTest {

    @Test
    void printsALinkThatSetsThePasswordOnce() throws Exception {
        String customer = createCustomer("pro").json().path("customer").path("customer_id").asString();
        String email = "cto-" + UUID.randomUUID() + "@example.com";

        Run run = invite("--customer", customer, "--email", email);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Invited " + email + " (admin)", "shown only this once");
        String link = run.stdout().lines().filter(line -> line.strip().startsWith("Link: ")).findFirst().orElseThrow()
                .strip().substring("Link: ".length());
        String path = URI.create(link).getPath();
        PortalBrowser browser = new PortalBrowser(port());
        assertThat(browser.get(path).status()).isEqualTo(200);
        String password = "operator chosen pass";
        assertThat(browser.post(path, Map.of("password", password, "repeated", password)).status()).isEqualTo(302);
        assertThat(browser.get("/portal/team").body()).contains(email);
        assertThat(new PortalBrowser(port()).get(path).status()).isEqualTo(404);
    }

    @Test
    void printsTheRawResponseWithJsonAndExplainsFailures() throws Exception {
        String customer = createCustomer("free").json().path("customer").path("customer_id").asString();
        String email = "viewer-" + UUID.randomUUID() + "@example.com";

        Run json = invite("--json", "--customer", customer, "--email", email, "--role", "viewer");
        Run again = invite("--customer", customer, "--email", email);
        Run unknown = invite("--customer", UUID.randomUUID().toString(), "--email", "x@example.com");
        Run badRole = invite("--customer", customer, "--email", "y@example.com", "--role", "owner");
        Run missing = invite("--email", "z@example.com");

        assertThat(json.exitCode()).as(json.stderr()).isZero();
        assertThat(JsonMapper.shared().readTree(json.stdout()).path("role").asString()).isEqualTo("viewer");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("already has a portal account");
        assertThat(unknown.stderr()).contains("there is no customer");
        assertThat(badRole.stderr()).contains("role must be viewer or admin");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("--customer is required");
    }

    private Run invite(String... arguments) throws Exception {
        return OperatorScript.run("invite.sh", Map.of("VLA_ADMIN_TOKEN", ADMIN_TOKEN,
                "VLA_CUSTOMER_URL", "http://127.0.0.1:" + port()), "", arguments);
    }
}

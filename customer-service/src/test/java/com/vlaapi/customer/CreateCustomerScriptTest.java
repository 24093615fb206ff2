package com.vlaapi.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.customer.support.OperatorScript;
import com.vlaapi.customer.support.OperatorScript.Run;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The operator CLI (bin/vla create-customer) against the real service. */
class CreateCustomerScriptTest extends IntegrationTest {

    private static final Pattern API_KEY = Pattern.compile("vla_live_[0-9A-Za-z]{40,}");

    @Test
    void createsACustomerFromFlags() throws Exception {
        String email = uniqueEmail();

        Run run = script(ADMIN_TOKEN, "", "--company", "Flag Robotics", "--email", email, "--tier", "pro",
                "--non-interactive");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Customer ID:", "Flag Robotics", "pro", "100,000", "600", "shown only this once");
        Matcher key = API_KEY.matcher(run.stdout());
        assertThat(key.find()).isTrue();
        JsonNode listed = admin.get("/admin/v1/customers").json().path("customers");
        assertThat(listed.toString()).contains(email).doesNotContain(key.group());
    }

    @Test
    void asksForWhatTheFlagsLeaveOut() throws Exception {
        String email = uniqueEmail();

        Run run = script(ADMIN_TOKEN, "Piped Labs\n" + email + "\n\n");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("Company name:", "Email:", "Tier (free/pro/enterprise) [free]:");
        assertThat(run.stdout()).contains("Piped Labs", "free", "10,000", "60 requests per minute");
        assertThat(API_KEY.matcher(run.stdout()).find()).isTrue();
    }

    @Test
    void printsTheRawResponseWithJson() throws Exception {
        Run run = script(ADMIN_TOKEN, "enterprise\n", "--json", "--company", "Json Inc", "--email", uniqueEmail());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode created = JsonMapper.shared().readTree(run.stdout());
        assertThat(created.path("customer").path("tier").asString()).isEqualTo("enterprise");
        assertThat(created.path("api_key").path("key").asString()).matches(API_KEY);
    }

    @Test
    void explainsFailures() throws Exception {
        String email = uniqueEmail();
        script(ADMIN_TOKEN, "", "--company", "First", "--email", email, "--tier", "free");

        Run duplicate = script(ADMIN_TOKEN, "", "--company", "Second", "--email", email, "--tier", "free");
        Run invalid = script(ADMIN_TOKEN, "", "--company", "Bad", "--email", "not-an-email", "--tier", "free");
        Run wrongToken = script("wrong", "", "--company", "X", "--email", uniqueEmail(), "--tier", "free");
        Run incomplete = script(ADMIN_TOKEN, "", "--company", "X", "--non-interactive");

        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.stderr()).contains(email + " already has an account");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.stderr()).contains("email must be an address");
        assertThat(wrongToken.exitCode()).isEqualTo(1);
        assertThat(wrongToken.stderr()).contains("rejected the admin token");
        assertThat(incomplete.exitCode()).isEqualTo(2);
        assertThat(incomplete.stderr()).contains("--email", "--tier");
    }

    @Test
    void saysHowToStartTheServiceWhenItIsDown() throws Exception {
        Run run = script(Map.of("VLA_ADMIN_TOKEN", ADMIN_TOKEN, "VLA_CUSTOMER_URL", "http://127.0.0.1:1"), "",
                "--company", "X", "--email", uniqueEmail(), "--tier", "free");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("not reachable", "bin/vla up");
    }

    private Run script(String adminToken, String stdin, String... arguments) throws Exception {
        return script(Map.of("VLA_ADMIN_TOKEN", adminToken, "VLA_CUSTOMER_URL", "http://127.0.0.1:" + port()),
                stdin, arguments);
    }

    private static Run script(Map<String, String> environment, String stdin, String... arguments) throws Exception {
        return OperatorScript.run("create-customer.sh", environment, stdin, arguments);
    }

    private static String uniqueEmail() {
        return "cli-" + UUID.randomUUID() + "@example.com";
    }
}

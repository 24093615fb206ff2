package com.vlaapi.customer.robot;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.customer.support.IntegrationTest;
import com.vlaapi.testsupport.http.ApiClient.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RobotProfileAdminApiTest extends IntegrationTest {

    private static final String ARM = """
            {"workspace": {"min": [-0.3, -0.3, 0.0], "max": [0.3, 0.3, 0.4]},
             "max_translation_m": 0.02, "max_rotation_rad": 0.1,
             "gripper_convention": "open_is_one", "default_unnorm_key": "tabletop"}""";

    private String customerId;

    @BeforeEach
    void createCustomer() {
        customerId = createCustomer("pro").json().path("customer").path("customer_id").asString();
    }

    @Test
    void aProfileIsStoredReplacedListedAndDeleted() {
        Response created = put("arm-3", ARM);

        assertThat(created.status()).isEqualTo(200);
        JsonNode profile = created.json();
        assertThat(profile.path("name").asString()).isEqualTo("arm-3");
        assertThat(profile.path("workspace").path("max").get(2).asDouble()).isEqualTo(0.4);
        assertThat(profile.path("max_translation_m").asDouble()).isEqualTo(0.02);
        assertThat(profile.path("gripper_convention").asString()).isEqualTo("open_is_one");
        assertThat(profile.path("min_gripper_confidence").asDouble()).isEqualTo(0.2);

        Response replaced = put("arm-3", "{\"max_translation_m\": 0.05}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("workspace").isNull()).isTrue();
        assertThat(replaced.json().path("gripper_convention").asString()).isEqualTo("close_is_one");
        assertThat(replaced.json().path("created_at").asString()).isEqualTo(profile.path("created_at").asString());

        put("default", "{}");
        JsonNode robots = admin.get(robots()).json().path("robots");
        assertThat(robots.size()).isEqualTo(2);
        assertThat(robots.get(0).path("name").asString()).isEqualTo("arm-3");

        assertThat(admin.send(admin.request(robots() + "/arm-3").DELETE()).status()).isEqualTo(204);
        assertThat(admin.get(robots() + "/arm-3").errorCode()).isEqualTo("robot_not_found");
    }

    @Test
    void inferenceServiceReadsProfilesThroughThePublishedViewOnly() throws Exception {
        put("arm-3", ARM);

        try (Connection db = database.connect()) {
            db.createStatement().execute("SET ROLE inference_service");
            try (PreparedStatement query = db.prepareStatement(
                     "SELECT max_translation_m, workspace_min FROM customer.robot_profiles_v1 WHERE customer_id = ? AND name = ?")) {
            query.setObject(1, UUID.fromString(customerId));
            query.setString(2, "arm-3");
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getDouble(1)).isEqualTo(0.02);
            }
            }
            assertThat(readable(db, "SELECT 1 FROM customer.robot_profiles")).isFalse();
        }
    }

    @Test
    void badProfilesAreRefusedNamingTheField() {
        assertThat(put("Arm 3", "{}").errorCode()).isEqualTo("invalid_robot_name");
        assertThat(put("arm", "{\"workspace\": {\"min\": [0, 0, 0], \"max\": [0.3, -0.1, 0.4]}}").errorCode())
                .isEqualTo("invalid_workspace");
        assertThat(put("arm", "{\"workspace\": {\"min\": [0, 0], \"max\": [0.3, 0.1, 0.4]}}").errorCode())
                .isEqualTo("invalid_workspace");
        assertThat(put("arm", "{\"max_translation_m\": 0}").errorCode()).isEqualTo("invalid_max_translation_m");
        assertThat(put("arm", "{\"gripper_convention\": \"sideways\"}").errorCode()).isEqualTo("invalid_gripper_convention");
        assertThat(put("arm", "{\"min_gripper_confidence\": 1.5}").errorCode()).isEqualTo("invalid_min_gripper_confidence");
        assertThat(admin.send(admin.jsonRequest("PUT", "/admin/v1/customers/" + UUID.randomUUID() + "/robots/arm", "{}"))
                .errorCode()).isEqualTo("customer_not_found");
        assertThat(admin.get(robots()).json().path("robots").size()).isZero();
    }

    private Response put(String name, String json) {
        return admin.send(admin.jsonRequest("PUT", robots() + "/" + name.replace(" ", "%20"), json));
    }

    private String robots() {
        return "/admin/v1/customers/" + customerId + "/robots";
    }

    private static boolean readable(Connection db, String sql) {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.executeQuery().close();
            return true;
        } catch (java.sql.SQLException denied) {
            return false;
        }
    }
}

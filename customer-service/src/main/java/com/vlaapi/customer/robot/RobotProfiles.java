package com.vlaapi.customer.robot;

import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.servicecontract.error.ApiException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A customer's robot profiles in {@code robot_profiles}; every query is scoped to the customer. */
@Service
class RobotProfiles {

    private static final String COLUMNS = "name, workspace_min, workspace_max, max_translation_m, max_rotation_rad, "
            + "gripper_convention, min_gripper_confidence, default_unnorm_key, created_at, updated_at";

    private final JdbcClient jdbc;
    private final CustomerService customers;
    private final Clock clock;

    RobotProfiles(JdbcClient jdbc, CustomerService customers, Clock clock) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.clock = clock;
    }

    /** Creates the profile or replaces all of it; created_at survives a replacement. */
    @Transactional
    RobotProfile put(UUID customerId, String name, RobotProfileRequest profile) {
        customers.get(customerId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        RobotProfile.Workspace workspace = profile.workspace();
        return jdbc.sql("INSERT INTO robot_profiles (customer_id, name, workspace_min, workspace_max, max_translation_m, "
                        + "max_rotation_rad, gripper_convention, min_gripper_confidence, default_unnorm_key, created_at, updated_at) "
                        + "VALUES (:customer, :name, :min, :max, :translation, :rotation, :convention, :confidence, :unnormKey, :now, :now) "
                        + "ON CONFLICT (customer_id, name) DO UPDATE SET workspace_min = EXCLUDED.workspace_min, "
                        + "workspace_max = EXCLUDED.workspace_max, max_translation_m = EXCLUDED.max_translation_m, "
                        + "max_rotation_rad = EXCLUDED.max_rotation_rad, gripper_convention = EXCLUDED.gripper_convention, "
                        + "min_gripper_confidence = EXCLUDED.min_gripper_confidence, "
                        + "default_unnorm_key = EXCLUDED.default_unnorm_key, updated_at = EXCLUDED.updated_at "
                        + "RETURNING " + COLUMNS)
                .param("customer", customerId)
                .param("name", name)
                .param("min", workspace == null ? null : workspace.min())
                .param("max", workspace == null ? null : workspace.max())
                .param("translation", profile.maxTranslationM())
                .param("rotation", profile.maxRotationRad())
                .param("convention", profile.conventionOrDefault())
                .param("confidence", profile.minGripperConfidenceOrDefault())
                .param("unnormKey", profile.defaultUnnormKey())
                .param("now", Timestamp.from(now))
                .query(RobotProfiles::profile)
                .single();
    }

    List<RobotProfile> list(UUID customerId) {
        customers.get(customerId);
        return jdbc.sql("SELECT " + COLUMNS + " FROM robot_profiles WHERE customer_id = :customer ORDER BY name")
                .param("customer", customerId).query(RobotProfiles::profile).list();
    }

    RobotProfile get(UUID customerId, String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM robot_profiles WHERE customer_id = :customer AND name = :name")
                .param("customer", customerId).param("name", name)
                .query(RobotProfiles::profile).optional()
                .orElseThrow(() -> notFound(customerId, name));
    }

    void delete(UUID customerId, String name) {
        int deleted = jdbc.sql("DELETE FROM robot_profiles WHERE customer_id = :customer AND name = :name")
                .param("customer", customerId).param("name", name).update();
        if (deleted == 0) {
            throw notFound(customerId, name);
        }
    }

    private static ApiException notFound(UUID customerId, String name) {
        return new ApiException(HttpStatus.NOT_FOUND, "robot_not_found",
                "Customer " + customerId + " has no robot profile named '" + name + "'.");
    }

    private static RobotProfile profile(ResultSet row, int rowNumber) throws SQLException {
        double[] min = doubles(row.getArray("workspace_min"));
        double[] max = doubles(row.getArray("workspace_max"));
        return new RobotProfile(
                row.getString("name"),
                min == null ? null : new RobotProfile.Workspace(min, max),
                row.getObject("max_translation_m", Double.class),
                row.getObject("max_rotation_rad", Double.class),
                row.getString("gripper_convention"),
                row.getDouble("min_gripper_confidence"),
                row.getString("default_unnorm_key"),
                row.getTimestamp("created_at").toInstant(),
                row.getTimestamp("updated_at").toInstant());
    }

    private static double[] doubles(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = ((Number) values[i]).doubleValue();
        }
        return doubles;
    }
}

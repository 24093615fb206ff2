package com.vlaapi.inference.robotprofile;

import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The robot profile a request is held to, read from customer-service's published view and
 * remembered for {@link RobotProfilesProperties#cacheTtl()}; every lookup is scoped to the
 * authenticated customer.
 */
@Component
public class RobotProfiles {

    /** customer-service's rule for names: anything else cannot exist, so it costs no lookup. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String QUERY = """
            SELECT name, workspace_min, workspace_max, max_translation_m, max_rotation_rad, gripper_convention,
                   min_gripper_confidence, default_unnorm_key
            FROM customer.robot_profiles_v1 WHERE customer_id = ? AND name = ?""";

    private record Key(UUID customerId, String name) {
    }

    private record Remembered(Optional<RobotProfile> profile, Instant until) {
    }

    private final JdbcTemplate jdbc;
    private final RobotProfilesProperties properties;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Remembered> cache = new ConcurrentHashMap<>();

    RobotProfiles(JdbcTemplate jdbc, RobotProfilesProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The profile the request named, or the customer's "default" one when it named none (empty if
     * the customer has none).
     *
     * @throws ApiException unknown_robot when the named profile does not exist for this customer
     */
    public Optional<RobotProfile> forRequest(UUID customerId, String named) {
        if (named == null) {
            return lookUp(customerId, RobotProfile.DEFAULT_NAME);
        }
        Optional<RobotProfile> profile = NAME.matcher(named).matches() ? lookUp(customerId, named) : Optional.empty();
        if (profile.isEmpty()) {
            throw new ApiException(PublicErrorCode.UNKNOWN_ROBOT.error("No robot profile named '" + named
                    + "' for this account; create it through the admin API or leave 'robot' out."));
        }
        return profile;
    }

    private Optional<RobotProfile> lookUp(UUID customerId, String name) {
        Key key = new Key(customerId, name);
        Instant now = clock.instant();
        Remembered remembered = cache.get(key);
        if (remembered != null && now.isBefore(remembered.until())) {
            return remembered.profile();
        }
        Optional<RobotProfile> profile = jdbc.query(QUERY, RobotProfiles::profile, customerId, name).stream().findFirst();
        if (cache.size() >= properties.cacheEntries()) {
            // Bounded against callers naming endless robots; everything is re-read within a TTL anyway.
            cache.clear();
        }
        cache.put(key, new Remembered(profile, now.plus(properties.cacheTtl())));
        return profile;
    }

    private static RobotProfile profile(ResultSet row, int rowNumber) throws SQLException {
        return new RobotProfile(
                row.getString("name"),
                doubles(row.getArray("workspace_min")),
                doubles(row.getArray("workspace_max")),
                row.getObject("max_translation_m", Double.class),
                row.getObject("max_rotation_rad", Double.class),
                "open_is_one".equals(row.getString("gripper_convention")),
                row.getDouble("min_gripper_confidence"),
                row.getString("default_unnorm_key"));
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

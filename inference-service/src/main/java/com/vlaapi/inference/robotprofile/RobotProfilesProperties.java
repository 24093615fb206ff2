package com.vlaapi.inference.robotprofile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.robot-profiles.*}: how long a customer's profile (or its absence) is
 * remembered, so most requests cost no database round trip; a change made through
 * customer-service's admin API applies within {@code cacheTtl}.
 */
@ConfigurationProperties("vla.inference.robot-profiles")
public record RobotProfilesProperties(
        @DefaultValue("10s") Duration cacheTtl,
        @DefaultValue("10000") int cacheEntries) {
}

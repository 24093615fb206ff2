package com.vlaapi.customer.customer;

import static com.vlaapi.testsupport.settings.SettingsContext.environmentVariables;
import static com.vlaapi.testsupport.settings.SettingsContext.withApplicationYml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class TierPropertiesTest {

    @Configuration
    @EnableConfigurationProperties(TierProperties.class)
    static class BindTiers {
    }

    private final ApplicationContextRunner context = withApplicationYml(BindTiers.class);

    @Test
    void defaultsAreThePublishedLimits() {
        context.run(started -> {
            TierProperties tiers = started.getBean(TierProperties.class);

            assertThat(tiers.limitsFor(Tier.FREE)).isEqualTo(new TierLimits(10_000, 60));
            assertThat(tiers.limitsFor(Tier.PRO)).isEqualTo(new TierLimits(100_000, 600));
            assertThat(tiers.limitsFor(Tier.ENTERPRISE)).isEqualTo(new TierLimits(1_000_000, 6_000));
            assertThat(tiers.metered(Tier.FREE)).isFalse();
            assertThat(tiers.metered(Tier.PRO)).isFalse();
            assertThat(tiers.metered(Tier.ENTERPRISE)).isTrue();
        });
    }

    @Test
    void environmentVariablesOverrideTheDefaults() {
        Map<String, Object> environment = Map.of(
                "VLA_CUSTOMER_TIERS_PRO_MONTHLY_QUOTA", "250000",
                "VLA_CUSTOMER_TIERS_PRO_RATE_LIMIT_PER_MINUTE", "900",
                "VLA_CUSTOMER_TIERS_PRO_METERED", "true");
        context.withInitializer(environmentVariables(environment))
                .run(started -> {
                    TierProperties tiers = started.getBean(TierProperties.class);
                    assertThat(tiers.limitsFor(Tier.PRO)).isEqualTo(new TierLimits(250_000, 900));
                    assertThat(tiers.metered(Tier.PRO)).isTrue();
                    assertThat(tiers.limitsFor(Tier.FREE)).isEqualTo(new TierLimits(10_000, 60));
                });
    }

    @Test
    void refusesToStartWithANonPositiveLimit() {
        context.withPropertyValues("vla.customer.tiers.free.rate-limit-per-minute=0")
                .run(started -> assertThat(started).hasFailed());
    }
}

package com.vlaapi.billing.pricing;

import static com.vlaapi.testsupport.settings.SettingsContext.withApplicationYml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The published prices, in exact decimals. */
class PricingTest {

    static final PricingProperties SEED = new PricingProperties("USD",
            new PricingProperties.Free(new BigDecimal("0.00"), 10_000, BigDecimal.ZERO),
            new PricingProperties.Pro(new BigDecimal("500.00"), 100_000, BigDecimal.ZERO),
            new PricingProperties.Enterprise(new BigDecimal("2500.00"), 0, new BigDecimal("0.01")));

    @Configuration
    @EnableConfigurationProperties(PricingProperties.class)
    static class BindPrices {
    }

    private final ApplicationContextRunner context = withApplicationYml(BindPrices.class);

    private final Pricing pricing = new Pricing(SEED);

    @Test
    void thePublishedPricesAreTheDefaults() {
        context.run(started -> assertThat(started.getBean(PricingProperties.class)).isEqualTo(SEED));
    }

    @Test
    void theSeedsWorkedExample() {
        Charges acme = pricing.monthly("enterprise", 36_450);

        assertThat(acme.baseFee()).isEqualByComparingTo("2500.00");
        assertThat(acme.usage()).isEqualTo(new BigDecimal("364.50"));
        assertThat(acme.total()).isEqualTo(new BigDecimal("2864.50"));
    }

    @Test
    void proAndFreeAreFlatWithinTheirIncludedRequests() {
        assertThat(pricing.monthly("pro", 8_200).total()).isEqualTo(new BigDecimal("500.00"));
        assertThat(pricing.monthly("pro", 0).total()).isEqualTo(new BigDecimal("500.00"));
        assertThat(pricing.monthly("free", 10_000).total()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void noFloatingPointDriftAtScale() {
        // 0.01 * n in double drifts (0.1 + 0.2 != 0.3); BigDecimal keeps every cent.
        assertThat(pricing.monthly("enterprise", 123_456_789).usage()).isEqualTo(new BigDecimal("1234567.89"));
    }

    @Test
    void usageAddedByPartOfAMonthRespectsIncludedRequests() {
        PricingProperties overage = new PricingProperties("USD", SEED.free(),
                new PricingProperties.Pro(new BigDecimal("500"), 100_000, new BigDecimal("0.005")), SEED.enterprise());
        Pricing withOverage = new Pricing(overage);

        assertThat(withOverage.usageAdded("pro", 99_000, 2_000)).isEqualTo(new BigDecimal("5.00"));
        assertThat(withOverage.usageAdded("enterprise", 1_000, 100)).isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void everyTierHasAPriceAndNoneIsNegative() {
        context.withPropertyValues("vla.billing.pricing.pro.per-request=0.005").run(started -> {
            PricingProperties prices = started.getBean(PricingProperties.class);
            assertThat(prices.price("pro").perRequest()).isEqualByComparingTo("0.005");
            assertThat(prices.price("pro").monthlyFee()).isEqualByComparingTo("500.00");
            assertThat(prices.price("free")).isEqualTo(SEED.free());
            assertThat(prices.price("enterprise")).isEqualTo(SEED.enterprise());
        });
        assertThatThrownBy(() -> pricing.monthly("platinum", 1)).hasMessageContaining("no price for tier 'platinum'");
        context.withPropertyValues("vla.billing.pricing.free.monthly-fee=-1").run(started ->
                assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("monthly-fee"));
    }
}

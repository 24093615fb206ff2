package com.vlaapi.billing.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published prices, in exact decimals. */
class PricingTest {

    static final PricingProperties SEED = new PricingProperties("USD", Map.of(
            "free", new TierPrice(new BigDecimal("0.00"), 10_000, BigDecimal.ZERO),
            "pro", new TierPrice(new BigDecimal("500.00"), 100_000, BigDecimal.ZERO),
            "enterprise", new TierPrice(new BigDecimal("2500.00"), 0, new BigDecimal("0.01"))));

    private final Pricing pricing = new Pricing(SEED);

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
        PricingProperties overage = new PricingProperties("USD", Map.of(
                "free", SEED.tiers().get("free"), "enterprise", SEED.tiers().get("enterprise"),
                "pro", new TierPrice(new BigDecimal("500"), 100_000, new BigDecimal("0.005"))));
        Pricing withOverage = new Pricing(overage);

        assertThat(withOverage.usageAdded("pro", 99_000, 2_000)).isEqualTo(new BigDecimal("5.00"));
        assertThat(withOverage.usageAdded("enterprise", 1_000, 100)).isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void everyTierNeedsAPrice() {
        assertThatThrownBy(() -> new PricingProperties("USD", Map.of("free", SEED.tiers().get("free"))))
                .hasMessageContaining("must price every tier");
        assertThatThrownBy(() -> new TierPrice(new BigDecimal("-1"), 0, BigDecimal.ZERO))
                .hasMessageContaining("monthly-fee");
    }
}

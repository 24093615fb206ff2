package com.vlaapi.billing.pricing;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Locale;

/** Amounts as people read them on billing's HTML pages (invoices, reports): "$2,864.50". */
public final class MoneyText {

    private MoneyText() {
    }

    /** Cents always; up to four decimals, so a per-request price such as $0.0050 is not rounded away. */
    public static String of(String currency, BigDecimal amount) {
        String symbol = "USD".equals(currency) ? "$" : currency + " ";
        NumberFormat format = NumberFormat.getNumberInstance(Locale.US);
        format.setMinimumFractionDigits(Math.max(2, Math.min(4, amount.stripTrailingZeros().scale())));
        format.setMaximumFractionDigits(4);
        return symbol + format.format(amount);
    }
}

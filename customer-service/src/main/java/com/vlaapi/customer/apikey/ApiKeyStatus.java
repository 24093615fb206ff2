package com.vlaapi.customer.apikey;

import com.vlaapi.servicecontract.LowerCaseId;

/** Only active and revoked are stored; expired is computed when a key is read (see {@link #sql}). */
public enum ApiKeyStatus implements LowerCaseId {
    ACTIVE,
    REVOKED,
    EXPIRED;

    /**
     * The status of the api_keys row aliased {@code table} as of the statement's {@code :now}
     * parameter, which the statement binds to the service's clock (not the database's now(), so
     * tests can pin it). Computed rather than stored, so a key expires on time without a job
     * flipping its row.
     */
    public static String sql(String table) {
        return "CASE WHEN " + table + ".status = 'active' AND " + table + ".expires_at <= CAST(:now AS timestamptz)"
                + " THEN 'expired' ELSE " + table + ".status END";
    }
}

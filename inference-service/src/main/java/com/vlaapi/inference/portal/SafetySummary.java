package com.vlaapi.inference.portal;

/**
 * How often the safety review changed or questioned a customer's actions, over {@code window} (named
 * so the portal can say what it shows): of its {@code requests}, how many were {@code clipped} to
 * the robot profile and how many showed a scene {@code out_of_distribution}. A share is 0 when the
 * window holds no request.
 */
record SafetySummary(String window, long requests, long clipped, long outOfDistribution, double clippedShare,
                     double outOfDistributionShare) {

    static SafetySummary of(String window, long requests, long clipped, long outOfDistribution) {
        return new SafetySummary(window, requests, clipped, outOfDistribution, share(clipped, requests),
                share(outOfDistribution, requests));
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}

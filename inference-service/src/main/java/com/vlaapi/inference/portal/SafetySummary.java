package com.vlaapi.inference.portal;

/**
 * How often the safety review changed or questioned a customer's actions, over {@code window} (a
 * label the portal shows): of the {@code requests} reviewed in it, how many were {@code clipped} to
 * the robot profile and how many showed a scene {@code out_of_distribution}. A share is 0 when
 * nothing was reviewed.
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

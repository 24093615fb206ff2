package com.vlaapi.servicecontract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void mintedIdsAreDistinctRandomUuidsAcrossManyBlocks() {
        Set<UUID> ids = new HashSet<>();
        int[] setBits = new int[128];
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            UUID id = RequestIds.mint();
            assertEquals(4, id.version(), id.toString());
            assertEquals(2, id.variant(), id.toString());
            assertEquals(id, RequestIds.keepOrMint(id.toString()), "canonical: kept as it is by the services behind");
            assertTrue(ids.add(id), "minted twice: " + id);
            for (int bit = 0; bit < 64; bit++) {
                setBits[bit] += (int) (id.getMostSignificantBits() >>> bit & 1);
                setBits[64 + bit] += (int) (id.getLeastSignificantBits() >>> bit & 1);
            }
        }
        // Every bit that is not the version's or the variant's is set about half the time.
        for (int bit = 0; bit < 128; bit++) {
            boolean fixed = (bit >= 12 && bit < 16) || bit >= 126;
            if (!fixed) {
                assertTrue(Math.abs(setBits[bit] - count / 2) < count / 10, "bit " + bit + " set " + setBits[bit] + " times");
            }
        }
    }
}

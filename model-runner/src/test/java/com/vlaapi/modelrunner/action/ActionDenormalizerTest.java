package com.vlaapi.modelrunner.action;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vlaapi.modelrunner.bundle.ModelManifest.ActionSpec;
import com.vlaapi.modelrunner.bundle.ModelManifest.UnnormStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionDenormalizerTest {

    private final ActionDenormalizer denormalizer = new ActionDenormalizer("m", new ActionSpec(
            List.of("dx", "gripper"), "arm",
            Map.of("arm", new UnnormStats(new double[] {-0.04, 0}, new double[] {0.04, 1}, new boolean[] {true, false}),
                    "arm_cm", new UnnormStats(new double[] {-4, 0}, new double[] {4, 1}, new boolean[] {true, false}))));

    @Test
    void appliesOpenVlaRuleOnMaskedDimensionsOnly() {
        assertArrayEquals(new double[] {-0.04, 0.7}, denormalizer.denormalize(new float[] {-1f, 0.7f}, "arm"), 1e-7);
        assertArrayEquals(new double[] {2.0, 0.7}, denormalizer.denormalize(new float[] {0.5f, 0.7f}, "arm_cm"), 1e-6);
    }

    @Test
    void nullMeansTheDefaultKeyAndUnknownKeysFail() {
        assertEquals("arm", denormalizer.resolveKey(null));
        assertEquals("unknown_unnorm_key", assertThrows(UnknownUnnormKeyException.class,
                () -> denormalizer.resolveKey("bridge")).code());
    }
}

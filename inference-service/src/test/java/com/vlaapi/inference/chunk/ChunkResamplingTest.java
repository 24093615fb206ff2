package com.vlaapi.inference.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChunkResamplingTest {

    private static final int GRIPPER = 2;
    /** Four model steps of [dx, dy, gripper] at 10 Hz. */
    private static final double[][] CHUNK = {{0.04, 0.0, 0}, {0.02, 0.02, 0}, {0.0, 0.04, 1}, {0.0, 0.0, 1}};

    @Test
    void theModelsRateLeavesTheChunkAsItIs() {
        assertThat(ChunkResampling.toRate(CHUNK, GRIPPER, 10, 10)).isSameAs(CHUNK);
    }

    @Test
    void twiceTheRateSplitsEachStepInHalvesAndHoldsTheGripper() {
        double[][] fast = ChunkResampling.toRate(CHUNK, GRIPPER, 10, 20);

        assertThat(fast).hasNumberOfRows(8);
        assertThat(fast[0]).containsExactly(new double[] {0.02, 0.0, 0}, within(1e-12));
        assertThat(fast[1]).containsExactly(new double[] {0.02, 0.0, 0}, within(1e-12));
        assertThat(fast[4]).containsExactly(new double[] {0.0, 0.02, 1}, within(1e-12));
    }

    @Test
    void halfTheRateMergesStepsAndTheGripperIsTheOneInForceAtTheTickStart() {
        double[][] slow = ChunkResampling.toRate(CHUNK, GRIPPER, 10, 5);

        assertThat(slow).hasNumberOfRows(2);
        assertThat(slow[0]).containsExactly(new double[] {0.06, 0.02, 0}, within(1e-12));
        assertThat(slow[1]).containsExactly(new double[] {0.0, 0.04, 1}, within(1e-12));
    }

    @Test
    void anyRateKeepsThePathOverTheTicksItCovers() {
        double[][] odd = ChunkResampling.toRate(CHUNK, GRIPPER, 10, 15);   // 6 ticks of 2/3 model step

        double x = 0;
        double y = 0;
        for (double[] step : odd) {
            x += step[0];
            y += step[1];
        }
        assertThat(odd).hasNumberOfRows(6);
        assertThat(x).isCloseTo(0.06, within(1e-12));
        assertThat(y).isCloseTo(0.06, within(1e-12));
    }
}

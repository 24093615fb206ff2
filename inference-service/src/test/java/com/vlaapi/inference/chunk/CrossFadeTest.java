package com.vlaapi.inference.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CrossFadeTest {

    @Test
    void theOldPlanFadesOutLinearlyOverTheOverlapAndTheRestIsTheNewChunk() {
        double[][] fresh = {{1.0}, {1.0}, {1.0}, {1.0}};
        double[][] tail = {{0.0}, {0.0}, {0.0}};

        double[][] blended = CrossFade.blend(fresh, tail);

        assertThat(blended[0][0]).isCloseTo(0.25, within(1e-12));
        assertThat(blended[1][0]).isCloseTo(0.50, within(1e-12));
        assertThat(blended[2][0]).isCloseTo(0.75, within(1e-12));
        assertThat(blended[3][0]).isEqualTo(1.0);
        assertThat(fresh[0][0]).as("the model's chunk is left as it was").isEqualTo(1.0);
    }

    @Test
    void aTailLongerThanTheChunkBlendsOnlyWhereBothAre() {
        double[][] blended = CrossFade.blend(new double[][] {{2.0, 1.0}}, new double[][] {{0.0, 0.0}, {9.0, 9.0}});

        assertThat(blended).hasNumberOfRows(1);
        assertThat(blended[0]).containsExactly(new double[] {1.0, 0.5}, within(1e-12));
    }

    @Test
    void agreeingPlansStayAsTheyAre() {
        double[][] plan = {{0.3, -0.1}, {0.2, 0.4}};

        double[][] blended = CrossFade.blend(plan, plan);

        assertThat(blended[0]).containsExactly(plan[0], within(1e-12));
        assertThat(blended[1]).containsExactly(plan[1], within(1e-12));
    }
}

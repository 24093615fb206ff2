package com.vlaapi.inference.safety;

import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.bundle.ModelManifest.UnnormStats;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** {@link SafetyScore} for the models this instance serves, looked up by model and unnorm key. */
@Component
public class SafetyScores {

    private final Map<String, Map<String, UnnormStats>> statsByModel;

    public SafetyScores(ModelRunner runner) {
        this.statsByModel = runner.manifests().values().stream()
                .collect(Collectors.toUnmodifiableMap(ModelManifest::name, m -> m.action().unnorm()));
    }

    /** {@code null} when there is no action to score (every error) or the model/key is not served. */
    public Double score(String model, String unnormKey, double[] action) {
        if (action == null || model == null || unnormKey == null) {
            return null;
        }
        UnnormStats stats = statsByModel.getOrDefault(model, Map.of()).get(unnormKey);
        return stats == null ? null : SafetyScore.of(stats, action);
    }
}

package com.vlaapi.inference.ood;

import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.modelrunner.ood.ReferenceEmbeddings;
import com.vlaapi.modelrunner.ood.ReferenceIndex;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The out-of-distribution signal: how far a request's embedding lies from the embeddings of the
 * training scenes its model ships as references (the bundle's {@code ood} section). At start-up
 * each served version's references are stored in PostgreSQL (once per version) and indexed in
 * process, so a request's lookup costs microseconds and no database round trip.
 */
@Component
public class SceneNovelty {

    private static final Logger log = LoggerFactory.getLogger(SceneNovelty.class);
    private static final long PARTITION_SEED = 1;

    private record Version(String model, String version) {
    }

    private record References(ReferenceIndex index, int neighbours, double threshold) {
    }

    private final Map<Version, References> references = new HashMap<>();

    public SceneNovelty(ModelRunner runner, ReferenceEmbeddingStore store, OodProperties settings) {
        if (!settings.enabled()) {
            return;
        }
        for (ModelManifest manifest : runner.manifests().values()) {
            if (!manifest.hasOod()) {
                log.info("model {} {} ships no reference embeddings: its requests get no novelty assessment",
                        manifest.name(), manifest.version());
                continue;
            }
            float[] embeddings = ReferenceEmbeddings.read(manifest);
            if (store.storeIfAbsent(manifest.name(), manifest.version(), embeddings, manifest.embeddingSize())) {
                log.info("stored {} reference embeddings of model {} {}", manifest.ood().count(), manifest.name(),
                        manifest.version());
            }
            references.put(new Version(manifest.name(), manifest.version()), new References(
                    index(embeddings, manifest, settings), manifest.ood().neighbours(), manifest.ood().threshold()));
        }
    }

    private static ReferenceIndex index(float[] embeddings, ModelManifest manifest, OodProperties settings) {
        int count = manifest.ood().count();
        if (count <= settings.exactBelow()) {
            return ReferenceIndex.exact(embeddings, manifest.embeddingSize());
        }
        int lists = (int) Math.round(Math.sqrt(count));
        return ReferenceIndex.partitioned(embeddings, manifest.embeddingSize(), lists, settings.probes(), PARTITION_SEED);
    }

    /**
     * {@code null} when there is nothing to assess: no embedding (an error), a model version this
     * instance does not serve, one without references, or the signal switched off.
     */
    public NoveltyAssessment assess(String model, String modelVersion, float[] embedding) {
        if (embedding == null) {
            return null;
        }
        References refs = references.get(new Version(model, modelVersion));
        if (refs == null) {
            return null;
        }
        return NoveltyAssessment.of(refs.index().meanDistance(embedding, refs.neighbours()), refs.threshold());
    }
}

package com.vlaapi.inference.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.pgvector.PGvector;
import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.ood.ReferenceEmbeddings;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** V11's {@code inference.reference_embeddings}: filled once per model version at start-up, searchable through HNSW. */
class ReferenceEmbeddingStoreIntegrationTest {

    private static final String MODEL = "tabletop-v1";

    private static TestDatabase database;
    private static ConfigurableApplicationContext application;
    private static float[] bundleReferences;

    @BeforeAll
    static void startApplication() {
        database = TestDatabase.create("inference");
        application = StandaloneApplication.start(database, "--vla.inference.usage-relay.enabled=false");
        bundleReferences = ReferenceEmbeddings.read(ManifestReader.read(RepoPaths.referenceBundle()));
    }

    @AfterAll
    static void dropDatabase() {
        application.close();
        database.drop();
    }

    @Test
    void startUpStoresTheServedVersionsReferencesInOrder() throws Exception {
        String version = servedVersion();
        assertThat(store().stored(MODEL, version)).isEqualTo(bundleReferences.length / 64);
        PGvector last = new PGvector(database.jdbc().queryForObject(
                "SELECT embedding::text FROM inference.reference_embeddings WHERE model = ? AND model_version = ?"
                        + " ORDER BY ordinal DESC LIMIT 1", String.class, MODEL, version));
        assertThat(last.toArray()).containsExactly(Arrays.copyOfRange(bundleReferences, bundleReferences.length - 64,
                bundleReferences.length));
    }

    @Test
    void aStoredVersionIsNotStoredAgainButANewVersionIs() {
        String version = servedVersion();
        int before = store().stored(MODEL, version);
        assertThat(store().storeIfAbsent(MODEL, version, bundleReferences, 64)).isFalse();
        assertThat(store().stored(MODEL, version)).isEqualTo(before);

        float[] two = Arrays.copyOf(bundleReferences, 128);
        assertThat(store().storeIfAbsent(MODEL, "retrained-" + version, two, 64)).isTrue();
        assertThat(store().stored(MODEL, "retrained-" + version)).isEqualTo(2);
        assertThat(store().stored(MODEL, version)).isEqualTo(before);
    }

    /** SQL over the request log can ask what the service asks in process, through the HNSW index. */
    @Test
    void theHnswIndexAnswersNearestReferencesAsTheServiceDoes() {
        EvalSet.Scene scene = EvalSet.read(RepoPaths.evalSet()).scenes().get(0);
        Prediction p = application.getBean(ModelRunner.class).predict(
                new InferenceRequest(null, scene.imageBytes(), scene.instruction(), null));
        NoveltyAssessment inProcess = application.getBean(SceneNovelty.class).assess(p.model(), p.modelVersion(),
                p.embedding());
        String nearest = "SELECT embedding <=> ?::public.vector AS distance FROM inference.reference_embeddings"
                + " WHERE model = ? AND model_version = ? ORDER BY embedding <=> ?::public.vector LIMIT 5";
        String query = new PGvector(p.embedding()).getValue();
        // Autovacuum analyzes a freshly filled table only after a while; without statistics the
        // planner believes the version has one row and sorts it.
        database.execute("ANALYZE inference.reference_embeddings");

        List<String> plan = database.jdbc().queryForList("EXPLAIN " + nearest, String.class, query, MODEL,
                p.modelVersion(), query);
        assertThat(String.join("\n", plan)).contains("reference_embeddings_embedding_hnsw_idx");
        double sqlMean = database.jdbc().queryForList(nearest, Double.class, query, MODEL, p.modelVersion(), query)
                .stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(sqlMean).isCloseTo(inProcess.distance(), within(1e-5));
    }

    private static ReferenceEmbeddingStore store() {
        return application.getBean(ReferenceEmbeddingStore.class);
    }

    private static String servedVersion() {
        return application.getBean(ModelRunner.class).manifests().get(MODEL).version();
    }
}

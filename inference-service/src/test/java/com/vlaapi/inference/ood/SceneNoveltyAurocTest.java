package com.vlaapi.inference.ood;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The out-of-distribution signal separates the held-out tabletop scenes (never references: those
 * are training scenes) from reference-policy/evalsets/ood-v1, through the service's own model
 * runner and {@link SceneNovelty}: the AUROC of the novelty distance, printed for the model card.
 */
class SceneNoveltyAurocTest {

    private static TestDatabase database;
    private static ConfigurableApplicationContext application;

    @BeforeAll
    static void startApplication() {
        database = TestDatabase.create("inference");
        application = StandaloneApplication.start(database, "--vla.inference.usage-relay.enabled=false");
    }

    @AfterAll
    static void dropDatabase() {
        application.close();
        database.drop();
    }

    @Test
    void theDistanceSeparatesHeldOutScenesFromUnrelatedImages() throws IOException {
        List<NoveltyAssessment> heldOut = new ArrayList<>();
        for (EvalSet.Scene scene : EvalSet.read(RepoPaths.evalSet()).scenes()) {
            heldOut.add(assess(scene.imageBytes(), scene.instruction()));
        }
        Path oodSet = RepoPaths.root().resolve("reference-policy/evalsets/ood-v1");
        Map<String, List<NoveltyAssessment>> ood = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(oodSet.resolve("images.jsonl"))) {
            JsonNode row = json.readTree(line);
            ood.computeIfAbsent(row.get("category").asString(), c -> new ArrayList<>())
                    .add(assess(Files.readAllBytes(oodSet.resolve(row.get("image").asString())),
                            row.get("instruction").asString()));
        }
        List<NoveltyAssessment> allOod = ood.values().stream().flatMap(List::stream).toList();

        double auroc = auroc(allOod, heldOut);
        System.out.printf("OOD AUROC %.4f: %d held-out tabletop scenes vs %d ood-v1 images%n", auroc, heldOut.size(),
                allOod.size());
        ood.forEach((category, assessments) -> System.out.printf("  %-15s AUROC %.4f, flagged %d/%d%n", category,
                auroc(assessments, heldOut), flagged(assessments), assessments.size()));
        System.out.printf("  at the bundle's threshold %.6f: %d/%d held-out scenes flagged, %d/%d ood-v1 images%n",
                heldOut.get(0).threshold(), flagged(heldOut), heldOut.size(), flagged(allOod), allOod.size());
        assertThat(auroc).isGreaterThanOrEqualTo(0.95);
    }

    private static NoveltyAssessment assess(byte[] image, String instruction) {
        Prediction p = application.getBean(ModelRunner.class).predict(new InferenceRequest(null, image, instruction, null));
        NoveltyAssessment assessment = application.getBean(SceneNovelty.class).assess(p.model(), p.modelVersion(),
                p.embedding());
        assertThat(assessment).as("the reference bundle ships references").isNotNull();
        return assessment;
    }

    /** P(an OOD image's distance exceeds a held-out scene's), ties counting half: the Mann-Whitney statistic. */
    private static double auroc(List<NoveltyAssessment> positives, List<NoveltyAssessment> negatives) {
        double wins = 0;
        for (NoveltyAssessment p : positives) {
            for (NoveltyAssessment n : negatives) {
                wins += p.distance() > n.distance() ? 1 : p.distance() == n.distance() ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.size() * negatives.size());
    }

    private static long flagged(List<NoveltyAssessment> assessments) {
        return assessments.stream().filter(NoveltyAssessment::outOfDistribution).count();
    }
}

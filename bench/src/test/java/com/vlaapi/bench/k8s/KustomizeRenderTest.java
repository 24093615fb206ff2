package com.vlaapi.bench.k8s;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What kubectl's own kustomize makes of deploy/k8s and deploy/k8s/cpu, where kubectl is installed
 * (skipped elsewhere; KubernetesManifestsTest checks the files themselves everywhere): both
 * render, every object of the output parses strictly, every secret reference names the Secret
 * the generator made, and only the GPU variant asks for a GPU.
 */
class KustomizeRenderTest {

    private static final Path K8S = ROOT.resolve("deploy/k8s");

    @Test
    void bothVariantsRenderIntoValidObjects(@TempDir Path copy) throws Exception {
        assumeTrue(kubectlInstalled(), "kubectl is not installed");
        copyTree(K8S, copy);
        // secrets.env is the operator's; a copy with every value filled in stands for it.
        List<String> secrets = Files.readAllLines(copy.resolve("base/secrets.env.example")).stream()
                .map(line -> line.endsWith("=") ? line + "not-a-real-secret" : line).toList();
        Files.write(copy.resolve("base/secrets.env"), secrets);

        List<HasMetadata> gpu = render(copy);
        List<HasMetadata> cpu = render(copy.resolve("cpu"));
        for (List<HasMetadata> rendered : List.of(gpu, cpu)) {
            Set<String> generated = rendered.stream().filter(Secret.class::isInstance).map(o -> o.getMetadata().getName())
                    .collect(Collectors.toSet());
            assertEquals(1, generated.size(), "one generated Secret: " + generated);
            assertTrue(generated.iterator().next().startsWith("vla-secrets-"), "named with its content's hash: " + generated);
            for (Container container : containers(rendered)) {
                for (EnvVar var : container.getEnv()) {
                    if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                        assertTrue(generated.contains(var.getValueFrom().getSecretKeyRef().getName()),
                                container.getName() + " " + var.getName() + " reads " + var.getValueFrom().getSecretKeyRef().getName());
                    }
                }
                assertTrue(container.getImage().contains("/vla/" + container.getName() + ":"), "kustomize placed " + container.getImage());
            }
            assertTrue(rendered.stream().allMatch(o -> "vla".equals(o.getMetadata().getNamespace()) || o.getKind().equals("Namespace")),
                    "everything in namespace vla");
        }
        assertTrue(gpus(gpu) == 1, "the GPU variant asks for a GPU for inference-service alone");
        assertTrue(gpus(cpu) == 0, "the CPU variant asks for none");
        assertFalse(containers(cpu).stream().anyMatch(c -> c.getImage().endsWith("-cuda")), "the CPU variant runs no CUDA image");
    }

    private static long gpus(List<HasMetadata> rendered) {
        return containers(rendered).stream().filter(c -> c.getResources().getLimits().containsKey("nvidia.com/gpu")).count();
    }

    private static List<Container> containers(List<HasMetadata> rendered) {
        return rendered.stream().flatMap(o -> Workload.of(o).stream()).flatMap(w -> w.containers().stream()).toList();
    }

    private static List<HasMetadata> render(Path kustomization) throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", kustomization.toString()).redirectErrorStream(true).start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        assertEquals(0, kubectl.exitValue(), "kubectl kustomize " + kustomization + ": " + output);
        return StrictManifests.read(output, "kubectl kustomize " + kustomization);
    }

    private static boolean kubectlInstalled() {
        return Stream.of(Objects.requireNonNullElse(System.getenv("PATH"), "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl")));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("secrets.env")) {
                    Files.copy(file, target);
                }
            }
        }
    }
}

package com.vlaapi.bench.k8s;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.vlaapi.bench.fleet.FleetDefinition;
import com.vlaapi.bench.fleet.FleetDefinition.Placeholder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.net.URI;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * deploy/k8s without a cluster: every manifest parses strictly into Kubernetes' own types
 * (fabric8's model), and the manifests agree with each other and with deploy/fleet.conf: what
 * a Service, HPA, PDB, secret or ConfigMap reference names exists, probes and scrapes call the
 * actuator where the fleet says it listens, every service gets the fleet's settings, and the
 * NetworkPolicies let in exactly the callers the services accept credentials from.
 */
class KubernetesManifestsTest {

    private static final Path K8S = ROOT.resolve("deploy/k8s");
    /** The manifests; deploy/k8s (GPU nodes) and deploy/k8s/cpu build on them. */
    private static final Path BASE = K8S.resolve("base");
    /** The service that runs on GPU nodes. */
    private static final String GPU_SERVICE = "inference-service";
    private static final String GPU = "nvidia.com/gpu";
    /** Where the image holds the model bundles ({models}); FleetDefinitionTest ties it to the image. */
    private static final String MODELS = "/app/reference-policy/bundles";
    /** Namespaces the NetworkPolicies let in: the Ingress controller, Prometheus, the operators' tools. */
    private static final String INGRESS_NAMESPACE = "ingress-nginx";
    /** Serves the customer portal, /portal, which the Ingress passes to it besides the API. */
    private static final String PORTAL = "customer-service";
    private static final String MONITORING_NAMESPACE = "monitoring";
    private static final String OPERATORS_NAMESPACE = "vla-operators";
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/\\w+.*");

    private final FleetDefinition fleet = FleetDefinition.read(ROOT);
    private final Kustomization kustomization = StrictManifests.read(BASE.resolve("kustomization.yaml"), Kustomization.class);
    private final List<HasMetadata> objects = kustomization.resources().stream()
            .flatMap(file -> StrictManifests.read(BASE.resolve(file)).stream()).toList();
    private final List<Workload> workloads = objects.stream().flatMap(o -> Workload.of(o).stream()).toList();

    @Test
    void theKustomizationListsEveryManifestAndPutsThemInItsNamespace() throws IOException {
        Kustomization top = StrictManifests.read(K8S.resolve("kustomization.yaml"), Kustomization.class);
        assertEquals(List.of("base"), top.resources(), "kubectl apply -k deploy/k8s applies the base as it is");
        assertEquals(Set.of("kustomization.yaml", "README.md", "base", "cpu"), files(K8S, f -> true), "deploy/k8s");

        Set<String> manifests = files(BASE, f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"));
        assertEquals(manifests, new TreeSet<>(kustomization.resources()), "deploy/k8s/base's manifests and kustomization.yaml's resources");
        Set<String> allowed = new TreeSet<>(manifests);
        allowed.addAll(List.of("kustomization.yaml", ".gitignore"));
        for (Kustomization.Generator generator : kustomization.secretGenerator()) {
            for (String env : generator.envs()) {
                allowed.add(env + ".example");
                allowed.add(env);
                assertTrue(Files.readAllLines(BASE.resolve(".gitignore")).contains(env), env + " holds secrets: git must ignore it");
            }
        }
        Set<String> present = files(BASE, f -> true);
        present.removeAll(allowed);
        assertEquals(Set.of(), present, "files in deploy/k8s/base that its kustomization does not use");

        List<String> namespaces = objects(Namespace.class).stream().map(n -> n.getMetadata().getName()).toList();
        assertEquals(List.of(kustomization.namespace()), namespaces, "the one Namespace is the kustomization's");
        for (HasMetadata object : objects) {
            String namespace = object.getMetadata().getNamespace();
            assertTrue(namespace == null || namespace.equals(kustomization.namespace()),
                    object.getKind() + " " + object.getMetadata().getName() + " is put in " + namespace);
        }
    }

    @Test
    void aMisspeltFieldAWrongTypeOrADuplicatedKeyIsRejected(@TempDir Path temp) throws IOException {
        String gateway = Files.readString(BASE.resolve("gateway-service.yaml"));
        assertFalse(StrictManifests.read(gateway, "gateway-service.yaml").isEmpty());
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("containerport", gateway.replace("containerPort: 8080", "containerport: 8080"));
        broken.put("replica", gateway.replace("  replicas: 2", "  replica: 2"));
        broken.put("readinesProbe", gateway.replace("readinessProbe:", "readinesProbe:"));
        broken.put("averageUtilization", gateway.replace("averageUtilization: 70", "averageUtilization: \"70\""));
        broken.put("revisionHistoryLimit", gateway.replace("  revisionHistoryLimit: 5", "  revisionHistoryLimit: 5\n  revisionHistoryLimit: 5"));
        broken.forEach((field, yaml) -> {
            assertTrue(!yaml.equals(gateway), "the test's edit must change the manifest: " + field);
            Exception e = assertThrows(RuntimeException.class, () -> StrictManifests.read(yaml, "gateway-service.yaml"), field);
            assertTrue(e.getMessage().contains(field), field + " must be named: " + e.getMessage());
        });

        Path misspelt = temp.resolve("kustomization.yaml");
        Files.writeString(misspelt, Files.readString(BASE.resolve("kustomization.yaml")).replace("resources:", "resource:"));
        Exception e = assertThrows(RuntimeException.class, () -> StrictManifests.read(misspelt, Kustomization.class));
        assertTrue(e.getMessage().contains("resource"), e.getMessage());
    }

    @Test
    void theWorkloadsAreTheFleetsServicesFromTheirOwnImages() {
        Set<String> names = workloads.stream().map(Workload::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(fleet.names()), names, "deploy/k8s's workloads and deploy/fleet.conf's services");
        Map<String, Map<String, Object>> compose = composeServices();
        for (Workload workload : workloads) {
            assertEquals(1, workload.containers().size(), workload.name() + ": one container");
            Container container = workload.containers().get(0);
            assertEquals(workload.name(), container.getName());
            assertEquals("vla/" + workload.name(), container.getImage(), workload.name() + "'s image");
            Map<String, Object> composed = compose.get(workload.name());
            assertNotNull(composed, "docker-compose.yml has no " + workload.name());
            assertNotNull(composed.get("build"), "docker-compose.yml builds " + workload.name() + "'s image");
            Object image = composed.get("image");
            assertTrue(image == null || String.valueOf(image).split(":")[0].equals(container.getImage()),
                    "docker-compose.yml names " + workload.name() + "'s image " + image);
            assertEquals(workload.name(), workload.selector().get("app.kubernetes.io/name"), workload.name() + " selects its pods by name");
            assertTrue(workload.selectedBy(workload.selector()), workload.name() + "'s selector picks its own pods");
        }
        Set<String> images = workloads.stream().map(w -> "vla/" + w.name()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> placed = kustomization.images().stream().map(Kustomization.Image::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(images, placed, "kustomization.yaml says where each image is");
    }

    /** A setting compose gives a service and Kubernetes does not is one the two fleets disagree on. */
    @Test
    void eachServiceGetsEveryVariableDockerComposeGivesIt() {
        Map<String, Map<String, Object>> compose = composeServices();
        List<String> missing = new ArrayList<>();
        for (Workload workload : workloads) {
            Object composed = compose.get(workload.name()).get("environment");
            assertTrue(composed instanceof Map, "docker-compose.yml's " + workload.name() + " has its environment as a mapping");
            Set<String> set = env(workload.containers().get(0)).keySet();
            ((Map<?, ?>) composed).keySet().stream().map(String::valueOf).filter(v -> !set.contains(v))
                    .forEach(v -> missing.add(workload.name() + " " + v));
        }
        assertEquals(List.of(), missing, "set in docker-compose.yml, not in deploy/k8s");
    }

    @Test
    void eachServiceGetsTheFleetsSettingsAndListensWhereItSays() {
        List<String> problems = new ArrayList<>();
        for (FleetDefinition.Service service : fleet.services()) {
            Workload workload = workload(service.name());
            Container container = workload.containers().get(0);
            Map<String, EnvVar> env = env(container);
            String address = service.portVariable().replace("_PORT", "_ADDRESS");
            check(problems, "0.0.0.0".equals(literal(env.get(address))), service.name() + ": " + address + " must be 0.0.0.0");
            check(problems, port(container, "http") == service.port(), service.name() + ": its port named http must be " + service.port());
            service.managementPort().ifPresent(management -> {
                check(problems, port(container, "management") == management, service.name() + ": its port named management must be " + management);
                check(problems, "0.0.0.0".equals(literal(env.get("MANAGEMENT_SERVER_ADDRESS"))),
                        service.name() + ": the kubelet and Prometheus reach the actuator only with MANAGEMENT_SERVER_ADDRESS=0.0.0.0");
            });
            if (service.environment().containsKey("VLA_REDIS_HOST")) {
                check(problems, secretKey(env.get("VLA_REDIS_PASSWORD")).isPresent(), service.name() + " needs Redis's password from the Secret");
            }
            service.environment().forEach((variable, defined) -> {
                EnvVar var = env.get(variable);
                if (var == null) {
                    problems.add(service.name() + " lacks " + variable + " (deploy/fleet.conf: " + defined + ")");
                    return;
                }
                String problem = mismatch(workload, var, defined);
                if (problem != null) {
                    problems.add(service.name() + " " + variable + ": " + problem);
                }
            });
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everySecretAndConfigMapReferenceResolves() throws IOException {
        assertEquals(List.of(), objects(Secret.class), "secrets come from secretGenerator (secrets.env), never from a committed manifest");
        assertEquals(1, kustomization.secretGenerator().size(), "one generated Secret");
        Kustomization.Generator generator = kustomization.secretGenerator().get(0);
        Map<String, String> example = new LinkedHashMap<>();
        for (String env : generator.envs()) {
            for (String line : Files.readAllLines(BASE.resolve(env + ".example"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] kv = line.split("=", 2);
                    example.put(kv[0], kv.length > 1 ? kv[1] : null);
                }
            }
        }
        example.forEach((key, value) -> assertEquals("", value, key + ": the example holds no secret"));
        Set<String> used = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Workload workload : workloads) {
            for (EnvVar var : workload.containers().get(0).getEnv()) {
                if (var.getValueFrom() == null) {
                    continue;
                }
                var secret = var.getValueFrom().getSecretKeyRef();
                var config = var.getValueFrom().getConfigMapKeyRef();
                if (secret != null) {
                    check(problems, secret.getName().equals(generator.name()) && example.containsKey(secret.getKey()),
                            workload.name() + " " + var.getName() + ": no key " + secret.getKey() + " in Secret " + secret.getName());
                    used.add(secret.getKey());
                } else if (config != null) {
                    check(problems, configMapValue(config.getName(), config.getKey()).isPresent(),
                            workload.name() + " " + var.getName() + ": no key " + config.getKey() + " in ConfigMap " + config.getName());
                } else {
                    problems.add(workload.name() + " " + var.getName() + ": neither a Secret's nor a ConfigMap's key");
                }
            }
            check(problems, workload.containers().get(0).getEnvFrom().isEmpty(), workload.name() + ": name each variable (no envFrom)");
        }
        assertEquals(List.of(), problems);
        assertEquals(example.keySet(), used, "every key of " + generator.name() + " is used and every one used is there");
    }

    @Test
    void servicesSelectTheirPodsAndPortsAndTheIngressReachesTheEdge() {
        List<String> problems = new ArrayList<>();
        Set<String> externalNames = new TreeSet<>();
        for (Service service : objects(Service.class)) {
            String name = service.getMetadata().getName();
            if ("ExternalName".equals(service.getSpec().getType())) {
                Map<String, String> selector = service.getSpec().getSelector();
                check(problems, service.getSpec().getExternalName() != null && (selector == null || selector.isEmpty()),
                        name + ": an ExternalName has a DNS name and no selector");
                externalNames.add(name);
                continue;
            }
            List<Workload> selected = workloads.stream().filter(w -> w.selectedBy(service.getSpec().getSelector())).toList();
            if (selected.size() != 1) {
                problems.add("Service " + name + " selects " + selected.size() + " workloads' pods, not one");
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                Optional<Integer> target = selected.get(0).containerPort(port.getTargetPort());
                check(problems, target.isPresent(), "Service " + name + " port " + port.getName() + " targets " + port.getTargetPort()
                        + ", which " + selected.get(0).name() + " does not declare");
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(Set.of("postgres", "redis", "minio"), externalNames, "PostgreSQL, Redis and the image storage are external, by name");

        List<Ingress> ingresses = objects(Ingress.class);
        assertEquals(1, ingresses.size(), "one Ingress");
        Set<String> backends = ingresses.get(0).getSpec().getRules().stream().flatMap(r -> r.getHttp().getPaths().stream())
                .map(p -> p.getBackend().getService().getName() + ":" + p.getBackend().getService().getPort().getName())
                .collect(Collectors.toSet());
        Set<String> expectedBackends = edges().stream().map(e -> e + ":http").collect(Collectors.toCollection(TreeSet::new));
        expectedBackends.add(PORTAL + ":http");
        assertEquals(expectedBackends, backends, "the Ingress sends to the edge and the portal alone");
        assertFalse(ingresses.get(0).getSpec().getTls().isEmpty(), "the Ingress ends TLS");
        for (String edge : edges()) {
            assertTrue(service(edge).getSpec().getPorts().stream().anyMatch(p -> "http".equals(p.getName())), edge + "'s Service has port http");
        }
    }

    @Test
    void autoscalersAndDisruptionBudgetsCoverEveryWorkload() {
        for (Workload workload : workloads) {
            List<HorizontalPodAutoscaler> hpas = objects(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(workload.name())).toList();
            assertEquals(1, hpas.size(), workload.name() + ": one HorizontalPodAutoscaler");
            var spec = hpas.get(0).getSpec();
            assertEquals("apps/v1", spec.getScaleTargetRef().getApiVersion(), workload.name());
            assertEquals(workload.kind(), spec.getScaleTargetRef().getKind(), workload.name() + "'s HPA targets its kind");
            assertTrue(spec.getMinReplicas() >= 2 && spec.getMaxReplicas() > spec.getMinReplicas(),
                    workload.name() + ": at least two replicas (one may be disrupted), room to grow");
            assertFalse(spec.getMetrics().isEmpty(), workload.name() + "'s HPA has a metric");
            assertTrue(workload.containers().stream().allMatch(c -> c.getResources().getRequests().containsKey("cpu")),
                    workload.name() + ": CPU utilisation is relative to the CPU request");

            List<PodDisruptionBudget> budgets = objects(PodDisruptionBudget.class).stream()
                    .filter(p -> workload.selectedBy(p.getSpec().getSelector().getMatchLabels())).toList();
            assertEquals(1, budgets.size(), workload.name() + ": one PodDisruptionBudget");
        }
        for (HorizontalPodAutoscaler hpa : objects(HorizontalPodAutoscaler.class)) {
            assertTrue(workloads.stream().anyMatch(w -> w.name().equals(hpa.getSpec().getScaleTargetRef().getName())),
                    "HPA " + hpa.getMetadata().getName() + " targets no workload");
        }
        for (PodDisruptionBudget pdb : objects(PodDisruptionBudget.class)) {
            assertEquals(1, workloads.stream().filter(w -> w.selectedBy(pdb.getSpec().getSelector().getMatchLabels())).count(),
                    "PDB " + pdb.getMetadata().getName() + " covers one workload");
        }
    }

    @Test
    void probesAndScrapesCallTheActuatorWhereTheFleetSaysItListens() {
        for (FleetDefinition.Service service : fleet.services()) {
            Workload workload = workload(service.name());
            Container container = workload.containers().get(0);
            Map<String, Probe> probes = new LinkedHashMap<>();
            probes.put("/actuator/health/liveness startup", container.getStartupProbe());
            probes.put("/actuator/health/liveness", container.getLivenessProbe());
            probes.put("/actuator/health/readiness", container.getReadinessProbe());
            probes.forEach((path, probe) -> {
                assertNotNull(probe, service.name() + " lacks the probe on " + path);
                assertEquals(path.split(" ")[0], probe.getHttpGet().getPath(), service.name());
                assertEquals(Optional.of(service.healthPort()), workload.containerPort(probe.getHttpGet().getPort()),
                        service.name() + "'s probe on " + path + " must call a declared port, the actuator's " + service.healthPort());
            });
            Map<String, String> annotations = workload.template().getMetadata().getAnnotations();
            assertEquals("true", annotations.get("prometheus.io/scrape"), service.name());
            assertEquals(String.valueOf(service.healthPort()), annotations.get("prometheus.io/port"), service.name() + " is scraped on its actuator's port");
            assertEquals("/actuator/prometheus", annotations.get("prometheus.io/path"), service.name());
            assertTrue(workload.containerPort(new IntOrString(service.healthPort())).isPresent());
            assertEquals(Boolean.TRUE, applicationSetting(service.name(), "management", "endpoint", "health", "probes", "enabled"),
                    service.name() + "'s application.yml must enable the liveness and readiness groups");
        }
    }

    @Test
    void everyContainerHasRequestsLimitsAndARestrictedSecurityContext() {
        for (Workload workload : workloads) {
            assertEquals(Boolean.FALSE, workload.pod().getAutomountServiceAccountToken(), workload.name() + " never calls the Kubernetes API");
            assertEquals(Boolean.FALSE, workload.pod().getEnableServiceLinks(), workload.name() + " gets only the variables it names");
            PodSecurityContext pod = workload.pod().getSecurityContext();
            assertEquals(Boolean.TRUE, pod.getRunAsNonRoot(), workload.name());
            assertTrue(pod.getRunAsUser() != null && pod.getRunAsUser() > 0, workload.name() + " runs as a numbered unprivileged user");
            assertEquals("RuntimeDefault", pod.getSeccompProfile().getType(), workload.name());
            for (Container container : workload.containers()) {
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = container.getResources().getRequests().get(resource);
                    Quantity limit = container.getResources().getLimits().get(resource);
                    assertNotNull(request, workload.name() + " requests " + resource);
                    assertNotNull(limit, workload.name() + " limits " + resource);
                    assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                            workload.name() + ": the " + resource + " request is within its limit");
                }
                SecurityContext security = container.getSecurityContext();
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), workload.name());
                assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), workload.name());
                assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), workload.name());
                Set<String> volumes = workload.pod().getVolumes().stream().map(v -> v.getName()).collect(Collectors.toSet());
                workload.claims().forEach(c -> volumes.add(c.getMetadata().getName()));
                for (VolumeMount mount : container.getVolumeMounts()) {
                    assertTrue(volumes.contains(mount.getName()), workload.name() + " mounts " + mount.getName() + ", which it does not have");
                }
                assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
                        workload.name() + ": the JVM and the web server need a writable /tmp on a read-only root");
            }
        }
    }

    @Test
    void inferenceRunsOnGpuNodesWithItsJournalOnAVolumeOfItsOwn() {
        Workload inference = workload(GPU_SERVICE);
        assertEquals("StatefulSet", inference.kind(), "each pod keeps its own journal claim");
        Container container = inference.containers().get(0);
        assertEquals(new Quantity("1"), container.getResources().getLimits().get(GPU), "one GPU per pod");
        assertEquals("gpu", literal(env(container).get("VLA_MODEL_DEVICE")));
        assertTrue(inference.pod().getNodeSelector().keySet().stream().anyMatch(k -> k.startsWith("nvidia.com/")), "on GPU nodes");
        assertTrue(inference.pod().getTolerations().stream().map(Toleration::getKey).anyMatch(GPU::equals), "tolerates the GPU nodes' taint");
        StatefulSet statefulSet = objects(StatefulSet.class).get(0);
        assertEquals("Retain", statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled(),
                "a journal still holding rows outlives a scale-down");
        assertEquals("Retain", statefulSet.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted());
        assertTrue(service(statefulSet.getSpec().getServiceName()).getSpec().getClusterIP().equals("None"),
                "the StatefulSet's governing Service is headless");
        for (Workload other : workloads) {
            if (!other.name().equals(GPU_SERVICE)) {
                assertFalse(other.containers().get(0).getResources().getLimits().containsKey(GPU), other.name() + " needs no GPU");
            }
        }
    }

    @Test
    void networkPoliciesLetInExactlyTheCallersEachServiceAccepts() {
        List<NetworkPolicy> policies = objects(NetworkPolicy.class);
        NetworkPolicy deny = policy(policies, "default-deny");
        assertTrue(deny.getSpec().getPodSelector().getMatchLabels() == null || deny.getSpec().getPodSelector().getMatchLabels().isEmpty());
        assertEquals(List.of("Ingress", "Egress"), deny.getSpec().getPolicyTypes());
        assertTrue(deny.getSpec().getIngress().isEmpty() && deny.getSpec().getEgress().isEmpty(), "default-deny allows nothing");
        NetworkPolicy dns = policy(policies, "dns");
        assertEquals(List.of("Egress"), dns.getSpec().getPolicyTypes());
        assertEquals(Set.of("UDP/53", "TCP/53"), dns.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream())
                .map(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).collect(Collectors.toSet()));

        for (FleetDefinition.Service service : fleet.services()) {
            Workload workload = workload(service.name());
            List<NetworkPolicy> own = policies.stream().filter(p -> workload.selectedBy(p.getSpec().getPodSelector().getMatchLabels())).toList();
            assertEquals(1, own.size(), service.name() + ": one NetworkPolicy of its own");
            var spec = own.get(0).getSpec();
            assertEquals(List.of("Ingress", "Egress"), spec.getPolicyTypes(), service.name());
            Set<String> ingress = new TreeSet<>();
            spec.getIngress().forEach(rule -> ingress.addAll(allowed(rule.getFrom(), rule.getPorts())));
            Set<String> egress = new TreeSet<>();
            spec.getEgress().forEach(rule -> egress.addAll(allowed(rule.getTo(), rule.getPorts())));
            assertEquals(expectedIngress(service), ingress, service.name() + ": who may connect, and to which port");
            assertEquals(expectedEgress(service), egress, service.name() + ": where it may connect");
        }
        for (NetworkPolicy policy : policies) {
            String name = policy.getMetadata().getName();
            assertTrue(name.equals("default-deny") || name.equals("dns")
                    || workloads.stream().anyMatch(w -> w.selectedBy(policy.getSpec().getPodSelector().getMatchLabels())),
                    "NetworkPolicy " + name + " selects no workload");
        }
    }

    @Test
    void theCpuOverlayRunsInferenceWithoutAGpu() throws IOException {
        Path overlay = K8S.resolve("cpu");
        Kustomization cpu = StrictManifests.read(overlay.resolve("kustomization.yaml"), Kustomization.class);
        assertEquals(List.of("../base"), cpu.resources(), "the variant changes the base, nothing else");
        Set<String> files = new TreeSet<>(List.of("kustomization.yaml"));
        cpu.patches().forEach(p -> files.add(p.path()));
        assertEquals(files, files(overlay, f -> true), "the overlay's files are its kustomization's");

        Map<String, Object> base = StrictManifests.documents(BASE.resolve(GPU_SERVICE + ".yaml")).stream()
                .filter(d -> "StatefulSet".equals(d.get("kind"))).findFirst().orElseThrow();
        assertEquals(1, cpu.patches().size());
        Kustomization.Patch patch = cpu.patches().get(0);
        assertEquals(new Kustomization.Patch.Target("apps", "v1", "StatefulSet", GPU_SERVICE), patch.target());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> operations = (List<Map<String, Object>>) new Yaml().load(Files.readString(overlay.resolve(patch.path())));
        JsonNode patched = JsonPatch.apply(StrictManifests.MAPPER.valueToTree(base), operations);
        Workload inference = Workload.of(StrictManifests.object(patched, "deploy/k8s/cpu")).orElseThrow();
        Container container = inference.containers().get(0);
        assertFalse(container.getResources().getLimits().containsKey(GPU), "no GPU limit");
        assertFalse(container.getResources().getRequests().containsKey(GPU), "no GPU request");
        assertTrue(inference.pod().getNodeSelector() == null || inference.pod().getNodeSelector().isEmpty(), "any node");
        assertTrue(inference.pod().getTolerations() == null || inference.pod().getTolerations().isEmpty());
        assertEquals("cpu", literal(env(container).get("VLA_MODEL_DEVICE")));

        // Kustomize renames images in the base before the overlay sees them: the overlay names the base's new name.
        Kustomization.Image gpuImage = kustomization.images().stream().filter(i -> i.name().equals("vla/" + GPU_SERVICE)).findFirst().orElseThrow();
        assertEquals(1, cpu.images().size());
        assertEquals(gpuImage.newName(), cpu.images().get(0).name(), "the overlay's image is the base's, renamed");
        assertFalse(cpu.images().get(0).newTag().equals(gpuImage.newTag()), "the CPU image is another build than the CUDA one");
    }

    /** Why a container's variable does not carry deploy/fleet.conf's value, or null when it does. */
    private String mismatch(Workload workload, EnvVar var, String defined) {
        List<Placeholder> placeholders = FleetDefinition.placeholders(defined);
        if (placeholders.size() == 1 && placeholders.get(0).kind().equals("secret")) {
            Optional<String> key = secretKey(var);
            return key.equals(Optional.of(placeholders.get(0).argument())) ? null
                    : "must come from the Secret's key " + placeholders.get(0).argument() + ", not " + key.orElse("a literal");
        }
        if (secretKey(var).isPresent()) {
            return "only secrets come from the Secret; this is " + defined;
        }
        String value = value(var);
        if (value == null) {
            return "no value";
        }
        String expected = defined;
        for (Placeholder placeholder : placeholders) {
            String text = "{" + placeholder.kind() + (placeholder.argument().isEmpty() ? "" : ":" + placeholder.argument()) + "}";
            expected = expected.replace(text, switch (placeholder.kind()) {
                case "url" -> "http://" + placeholder.argument() + ":" + servicePort(placeholder.argument());
                case "models" -> MODELS;
                case "state" -> stateMount(workload);
                case "database" -> {
                    Matcher jdbc = JDBC.matcher(value);
                    if (!jdbc.matches() || !isExternalName(jdbc.group(1))) {
                        yield "a JDBC URL whose host is an ExternalName Service";
                    }
                    yield value;
                }
                case "redis-host" -> isExternalName(value) ? value : "an ExternalName Service";
                default -> "no Kubernetes value for " + placeholder;
            });
        }
        return value.equals(expected) ? null : "is " + value + ", expected " + expected + " (deploy/fleet.conf: " + defined + ")";
    }

    /** Who may reach a service: the callers it takes a credential from, operators where it has an admin API, Prometheus. */
    private Set<String> expectedIngress(FleetDefinition.Service service) {
        Set<String> expected = new TreeSet<>();
        for (String variable : service.environment().keySet()) {
            if (variable.startsWith("VLA_CALLERS_")) {
                expected.add("pods " + variable.substring("VLA_CALLERS_".length()).toLowerCase() + "-service:" + service.port());
            }
        }
        if (service.environment().containsKey("VLA_ADMIN_TOKEN")) {
            expected.add("namespace " + OPERATORS_NAMESPACE + ":" + service.port());
        }
        if (edges().contains(service.name()) || service.name().equals(PORTAL)) {
            expected.add("namespace " + INGRESS_NAMESPACE + ":" + service.port());
        }
        expected.add("namespace " + MONITORING_NAMESPACE + ":" + service.healthPort());
        return expected;
    }

    /**
     * Where a service may connect: the services its settings point at, PostgreSQL and Redis outside,
     * and the image storage outside when its pod is configured with the ConfigMap's storage-url
     * (an ExternalName Service, like the database's).
     */
    private Set<String> expectedEgress(FleetDefinition.Service service) {
        Set<String> expected = new TreeSet<>();
        boolean storesImages = workload(service.name()).containers().get(0).getEnv().stream()
                .anyMatch(var -> var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null
                        && "storage-url".equals(var.getValueFrom().getConfigMapKeyRef().getKey()));
        if (storesImages) {
            URI storage = URI.create(configMapValue("vla-fleet", "storage-url").orElseThrow());
            assertTrue(isExternalName(storage.getHost()), "storage-url's host is an ExternalName Service");
            expected.add("outside:" + storage.getPort());
        }
        service.environment().values().forEach(value -> FleetDefinition.placeholders(value).forEach(p -> {
            switch (p.kind()) {
                case "url" -> expected.add("pods " + p.argument() + ":" + fleet.service(p.argument()).port());
                case "database" -> {
                    Matcher jdbc = JDBC.matcher(configMapValue("vla-fleet", "db-url").orElseThrow());
                    assertTrue(jdbc.matches());
                    expected.add("outside:" + (jdbc.group(2) == null ? "5432" : jdbc.group(2)));
                }
                case "redis-host" -> expected.add("outside:6379");
                default -> {
                }
            }
        }));
        return expected;
    }

    /** A rule's peers and ports, each pair as "pods NAME:PORT", "namespace NAME:PORT" or "outside:PORT". */
    private List<String> allowed(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
        assertFalse(peers.isEmpty(), "a rule without peers allows everyone");
        assertFalse(ports.isEmpty(), "a rule without ports allows every port");
        List<String> allowed = new ArrayList<>();
        for (NetworkPolicyPeer peer : peers) {
            String who;
            if (peer.getIpBlock() != null) {
                who = "outside";
            } else if (peer.getNamespaceSelector() != null) {
                assertEquals(null, peer.getPodSelector(), "a namespace's every pod, or name them in another rule");
                who = "namespace " + peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
            } else {
                List<Workload> selected = workloads.stream().filter(w -> w.selectedBy(peer.getPodSelector().getMatchLabels())).toList();
                assertEquals(1, selected.size(), "a pod peer selects one workload: " + peer);
                who = "pods " + selected.get(0).name();
            }
            for (NetworkPolicyPort port : ports) {
                assertEquals("TCP", port.getProtocol());
                allowed.add(who + ":" + port.getPort().getIntVal());
            }
        }
        return allowed;
    }

    /** The services no other service's settings point at: the ones the outside world calls. */
    private Set<String> edges() {
        Set<String> called = fleet.services().stream().flatMap(s -> s.environment().values().stream())
                .flatMap(v -> FleetDefinition.placeholders(v).stream()).filter(p -> p.kind().equals("url"))
                .map(Placeholder::argument).collect(Collectors.toSet());
        return fleet.names().stream().filter(n -> !called.contains(n)).collect(Collectors.toCollection(TreeSet::new));
    }

    private int servicePort(String name) {
        return service(name).getSpec().getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                .map(ServicePort::getPort).orElseGet(() -> fail("Service " + name + " has no port http"));
    }

    /** Where the workload's own persistent volume ({state}) is mounted. */
    private static String stateMount(Workload workload) {
        Set<String> claims = workload.claims().stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
        return workload.containers().get(0).getVolumeMounts().stream().filter(m -> claims.contains(m.getName()))
                .map(VolumeMount::getMountPath).findFirst().orElse("a volume of a volumeClaimTemplate");
    }

    private boolean isExternalName(String host) {
        return objects(Service.class).stream().anyMatch(s -> s.getMetadata().getName().equals(host)
                && "ExternalName".equals(s.getSpec().getType()));
    }

    /** A variable's value: literal or from a ConfigMap; null for a secret. */
    private String value(EnvVar var) {
        if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
            return configMapValue(var.getValueFrom().getConfigMapKeyRef().getName(), var.getValueFrom().getConfigMapKeyRef().getKey()).orElse(null);
        }
        return var.getValue();
    }

    private static String literal(EnvVar var) {
        return var == null ? null : var.getValue();
    }

    private static Optional<String> secretKey(EnvVar var) {
        return Optional.ofNullable(var).map(EnvVar::getValueFrom).map(v -> v.getSecretKeyRef()).map(r -> r.getKey());
    }

    private Optional<String> configMapValue(String name, String key) {
        return objects(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .map(c -> c.getData().get(key));
    }

    private static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            assertEquals(null, env.put(var.getName(), var), container.getName() + " sets " + var.getName() + " twice");
        }
        return env;
    }

    private static int port(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .map(p -> p.getContainerPort()).orElse(-1);
    }

    private Workload workload(String name) {
        return workloads.stream().filter(w -> w.name().equals(name)).findFirst().orElseGet(() -> fail("no workload " + name));
    }

    private Service service(String name) {
        return objects(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseGet(() -> fail("no Service " + name));
    }

    private static NetworkPolicy policy(List<NetworkPolicy> policies, String name) {
        return policies.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseGet(() -> fail("no NetworkPolicy " + name));
    }

    private <T extends HasMetadata> List<T> objects(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static Set<String> files(Path folder, Predicate<String> which) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).filter(which).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A setting of a service's own application.yml, by its path of keys; null when absent. */
    @SuppressWarnings("unchecked")
    private static Object applicationSetting(String service, String... keys) {
        try {
            Object node = new Yaml().load(Files.readString(ROOT.resolve(service + "/src/main/resources/application.yml")));
            for (String key : keys) {
                node = node instanceof Map ? ((Map<String, Object>) node).get(key) : null;
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> composeServices() {
        try {
            Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
            return (Map<String, Map<String, Object>>) compose.get("services");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read docker-compose.yml", e);
        }
    }
}

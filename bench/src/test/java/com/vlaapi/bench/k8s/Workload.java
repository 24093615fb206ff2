package com.vlaapi.bench.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A Deployment or a StatefulSet: what runs one service's pods. */
record Workload(String kind, String name, Map<String, String> selector, PodTemplateSpec template,
                List<PersistentVolumeClaim> claims) {

    static Optional<Workload> of(HasMetadata object) {
        if (object instanceof Deployment d) {
            return Optional.of(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getSelector().getMatchLabels(),
                    d.getSpec().getTemplate(), List.of()));
        }
        if (object instanceof StatefulSet s) {
            return Optional.of(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getSelector().getMatchLabels(),
                    s.getSpec().getTemplate(), s.getSpec().getVolumeClaimTemplates()));
        }
        return Optional.empty();
    }

    Map<String, String> podLabels() {
        return template.getMetadata().getLabels();
    }

    /** Whether a label selector (Service, PDB, NetworkPolicy) picks this workload's pods. */
    boolean selectedBy(Map<String, String> labels) {
        return labels != null && !labels.isEmpty() && podLabels().entrySet().containsAll(labels.entrySet());
    }

    PodSpec pod() {
        return template.getSpec();
    }

    List<Container> containers() {
        return pod().getContainers();
    }

    /** The number a probe's or a Service's port (by name or number) stands for, if a container declares it. */
    Optional<Integer> containerPort(IntOrString port) {
        return containers().stream().flatMap(c -> c.getPorts().stream())
                .filter(p -> port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort()) : port.getStrVal().equals(p.getName()))
                .map(p -> p.getContainerPort()).findFirst();
    }
}

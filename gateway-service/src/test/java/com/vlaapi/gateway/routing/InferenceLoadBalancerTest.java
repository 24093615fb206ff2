package com.vlaapi.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceLoadBalancerTest {

    private static final URI A = URI.create("http://10.0.0.1:8081");
    private static final URI B = URI.create("http://10.0.0.2:9000/");

    @Test
    void takesTheInstancesInTurn() {
        InferenceLoadBalancer balancer = new InferenceLoadBalancer(new InferenceServiceProperties(List.of(A, B), Duration.ofSeconds(10)), new SimpleMeterRegistry());
        List<URI> picked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            picked.add(balancer.nextInstance());
        }
        assertEquals(List.of(A, B, A, B, A), picked);
    }

    @Test
    void keepsThePathAndQueryAsEncodedAndDropsTheInstancesPath() {
        URI routed = URI.create("lb://inference-service/v1/inference?note=a%20b&x=%2F");
        assertEquals(URI.create("http://10.0.0.1:8081/v1/inference?note=a%20b&x=%2F"), InferenceLoadBalancer.onInstance(A, routed));
        assertEquals(URI.create("http://10.0.0.2:9000/v1/inference"),
                InferenceLoadBalancer.onInstance(B, URI.create("lb://inference-service/v1/inference")));
    }
}

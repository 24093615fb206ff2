package com.vlaapi.gateway.routing;

import com.vlaapi.gateway.GatewayProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;

/**
 * Load-balancer configuration for inference-service (deliberately not a @Configuration: Spring
 * Cloud LoadBalancer builds it in the client's own child context).
 */
class InferenceInstances {

    static final String SERVICE_ID = "inference-service";

    @Bean
    ServiceInstanceListSupplier inferenceInstanceSupplier(GatewayProperties properties) {
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 0; i < properties.inferenceUrls().size(); i++) {
            URI url = properties.inferenceUrls().get(i);
            instances.add(new DefaultServiceInstance(SERVICE_ID + "-" + i, SERVICE_ID, url.getHost(), url.getPort(),
                    "https".equals(url.getScheme())));
        }
        List<ServiceInstance> fixed = List.copyOf(instances);
        return new ServiceInstanceListSupplier() {
            @Override
            public String getServiceId() {
                return SERVICE_ID;
            }

            @Override
            public Flux<List<ServiceInstance>> get() {
                return Flux.just(fixed);
            }
        };
    }
}

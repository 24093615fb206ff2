package com.vlaapi.gateway.routing;

import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.context.annotation.Configuration;

/** {@code lb://inference-service} resolves to the instances listed in {@code vla.inference-urls}. */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClient(name = InferenceInstances.SERVICE_ID, configuration = InferenceInstances.class)
public class InferenceRouting {
}

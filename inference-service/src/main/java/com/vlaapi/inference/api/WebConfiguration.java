package com.vlaapi.inference.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final InferenceRequestInterceptor inferenceRequests;

    WebConfiguration(InferenceRequestInterceptor inferenceRequests) {
        this.inferenceRequests = inferenceRequests;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(inferenceRequests).addPathPatterns("/v1/inference", "/act");
    }
}

package com.vlaapi.customer.portal.web;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The portal's stylesheet and script: the only static files this service serves (the APIs have none). */
@Configuration(proxyBeanMethods = false)
class PortalAssets implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/portal/assets/**").addResourceLocations("classpath:/portal-assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
    }
}

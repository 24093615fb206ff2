package com.vlaapi.customer.robot;

import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Robot profiles of one customer. Changes reach inference-service within its profile cache's
 * time to live ({@code vla.inference.robot-profiles.cache-ttl}).
 */
@RestController
@RequestMapping("/admin/v1/customers/{customer_id}/robots")
class RobotProfileAdminController {

    record RobotProfileList(List<RobotProfile> robots) {
    }

    private final RobotProfiles profiles;

    RobotProfileAdminController(RobotProfiles profiles) {
        this.profiles = profiles;
    }

    @PutMapping("/{name}")
    RobotProfile put(@PathVariable("customer_id") UUID customerId, @PathVariable("name") String name,
                     @RequestBody RobotProfileRequest profile) {
        return profiles.put(customerId, RobotProfileRequest.validName(name), profile.validate());
    }

    @GetMapping
    RobotProfileList list(@PathVariable("customer_id") UUID customerId) {
        return new RobotProfileList(profiles.list(customerId));
    }

    @GetMapping("/{name}")
    RobotProfile get(@PathVariable("customer_id") UUID customerId, @PathVariable("name") String name) {
        return profiles.get(customerId, name);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable("customer_id") UUID customerId, @PathVariable("name") String name) {
        profiles.delete(customerId, name);
    }
}

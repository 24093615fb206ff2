package com.vlaapi.customer.portal.requests;

import com.vlaapi.customer.portal.InternalApi;
import com.vlaapi.customer.portal.account.PortalUser;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The customer's last 100 requests from the request log, one request's detail, and its image where stored. */
@Controller
class RequestsController {

    private static final Set<String> STATUSES = Set.of("all", "ok", "error");

    private final InternalApi internal;

    RequestsController(InternalApi internal) {
        this.internal = internal;
    }

    @GetMapping("/portal/requests")
    String list(PortalUser user, @RequestParam(defaultValue = "all") String status, Model model) {
        String filter = STATUSES.contains(status) ? status : "all";
        model.addAttribute("user", user);
        model.addAttribute("status", filter);
        model.addAttribute("requests", internal.inference("/internal/v1/customers/" + user.customerId()
                + "/requests?limit=100&status=" + filter, RequestList.class).requests());
        return "portal/requests";
    }

    @GetMapping("/portal/requests/{requestId}")
    String detail(PortalUser user, @PathVariable UUID requestId, Model model) {
        model.addAttribute("user", user);
        model.addAttribute("request", internal.inference(
                "/internal/v1/customers/" + user.customerId() + "/requests/" + requestId, RequestDetail.class));
        return "portal/request";
    }

    /** Only images the customer opted in to storing exist; any other id is a 404. */
    @GetMapping("/portal/requests/{requestId}/image")
    ResponseEntity<byte[]> image(PortalUser user, @PathVariable UUID requestId) {
        InternalApi.Answer image = internal.inferenceFile(
                "/internal/v1/customers/" + user.customerId() + "/requests/" + requestId + "/image");
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.contentType()))
                .cacheControl(CacheControl.noStore()).body(image.body());
    }
}

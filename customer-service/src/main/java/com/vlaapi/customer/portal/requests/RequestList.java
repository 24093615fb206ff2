package com.vlaapi.customer.portal.requests;

import java.util.List;

record RequestList(List<RequestRow> requests) {
}

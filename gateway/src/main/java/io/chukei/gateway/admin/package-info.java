/** The admin HTTP endpoint: liveness, readiness and Prometheus metrics, on loopback by default. */
package io.chukei.gateway.admin;

/** The admin HTTP endpoint: liveness, readiness, Prometheus metrics, rate limits and the cluster view and actions, on loopback by default. */
package io.chukei.gateway.admin;

/** Coverage-guided fuzz targets (Jazzer) for what a connector or an admin client can send, with their seed corpus. */
package io.chukei.gateway.fuzz;

/** Worker choice as a pure strategy; no Kubernetes client here (checked by a test). */
package dev.voicebridge.operator.placement;

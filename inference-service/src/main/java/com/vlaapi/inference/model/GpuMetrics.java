package com.vlaapi.inference.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.vlaapi.modelrunner.RunnerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * Memory of each CUDA device, as DJL reads it from the CUDA runtime: {@code vla_gpu_memory_used_bytes}
 * and {@code vla_gpu_memory_total_bytes} by {@code device}. Registered only when models run on a GPU
 * that CUDA sees, so a CPU fleet has no GPU series at all (absent, not a misleading zero).
 * Utilisation is not something the CUDA runtime reports; NVIDIA's DCGM exporter (the compose GPU
 * tier) provides it.
 */
@Component
class GpuMetrics implements MeterBinder {

    private final boolean onGpu;

    GpuMetrics(RunnerConfig config) {
        // CudaUtils is only touched on a GPU configuration: the CPU build does not ship what it loads.
        this.onGpu = "gpu".equalsIgnoreCase(config.device()) && CudaUtils.hasCuda();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!onGpu) {
            return;
        }
        for (int index = 0; index < CudaUtils.getGpuCount(); index++) {
            Device device = Device.gpu(index);
            String label = String.valueOf(index);
            Gauge.builder("vla.gpu.memory.used", device, d -> CudaUtils.getGpuMemory(d).getUsed())
                    .description("GPU memory in use on this device (all processes), from the CUDA runtime")
                    .baseUnit("bytes")
                    .tag("device", label)
                    .register(registry);
            Gauge.builder("vla.gpu.memory.total", device, d -> CudaUtils.getGpuMemory(d).getMax())
                    .description("GPU memory on this device, from the CUDA runtime")
                    .baseUnit("bytes")
                    .tag("device", label)
                    .register(registry);
        }
    }
}

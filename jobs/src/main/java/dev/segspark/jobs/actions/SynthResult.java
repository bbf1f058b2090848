package dev.segspark.jobs.actions;

import dev.segspark.jobs.synth.SynthSpec;

/** What {@link SynthAction} wrote and how long it took. */
public record SynthResult(SynthSpec spec, double seconds) {}

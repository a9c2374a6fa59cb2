using Pipeline.Core.DeadLetters;

namespace Pipeline.Core.Schemas;

/// <summary>How a stage reading Avro values decodes them and where it sends those it cannot.</summary>
/// <param name="Stage">The stage's name, written to the <c>error.stage</c> header and the metrics' <c>stage</c> label.</param>
/// <param name="DeadLetterTopic">Where undecodable values go (<c>pipeline.topics.dead-letters</c>).</param>
/// <param name="Parallelism">Values decoded at once; outputs keep the input order (<c>pipeline.upstream.avro-parallelism</c>).</param>
/// <param name="DeadLetters">How dead letters are written (<c>pipeline.dead-letters</c>).</param>
public sealed record AvroInputSettings(string Stage, string DeadLetterTopic, int Parallelism, DeadLetterSettings DeadLetters);

import ReactMarkdown from 'react-markdown';

/** Markdown from flow descriptions and notes. Raw HTML in the source stays text. */
export function Markdown({ text, className = '' }: { text: string; className?: string }) {
  return (
    <div className={`prose-note ${className}`}>
      <ReactMarkdown>{text}</ReactMarkdown>
    </div>
  );
}

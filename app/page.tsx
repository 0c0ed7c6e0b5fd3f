import { NotebookList } from '@/components/home/NotebookList';

export default function HomePage() {
  return <NotebookList />;
}

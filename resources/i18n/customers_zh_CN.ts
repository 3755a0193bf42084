<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomersPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="91" />
        <source>Search name, account no., USCC, contact or phone</source>
        <extracomment>A stable name per column of ``CustomerTableModel`` (what the hidden-column setting keeps). "Quality score below N" choices of the data-quality filter.</extracomment>
        <translation>搜索名称、户号、统一社会信用代码、联系人或电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="94" />
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="96" />
        <source>Class %1</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="101" />
        <source>All voltages</source>
        <translation>全部电压等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="106" />
        <source>All data quality</source>
        <translation>全部数据质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="109" />
        <source>Quality score below %1</source>
        <translation>质量评分低于 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="114" />
        <source>Problem: %1</source>
        <translation>问题：%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="116" />
        <source>Risk only</source>
        <translation>仅风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="163" />
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="166" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="172" />
        <source>Recompute classes</source>
        <translation>重新分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="174" />
        <source>Set class…</source>
        <translation>调整分级…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="176" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="178" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="180" />
        <source>Data quality…</source>
        <translation>资料质量…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="182" />
        <source>Balance grids…</source>
        <translation>网格均衡…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="184" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="322" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="335" />
        <source>Undo grid balancing</source>
        <translation>撤销网格均衡</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="226" />
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="227" />
        <source>All parks</source>
        <translation>全部园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="249" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="262" />
        <source>Pyramid classes</source>
        <translation>客户分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="250" />
        <source>%1 customers classified, %2 changed.</source>
        <translation>已对 %1 户客户分级,其中 %2 户类别有变化。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="262" />
        <source>Select a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="268" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="273" />
        <source>Set class</source>
        <translation>调整分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="268" />
        <source>Class:</source>
        <translation>类别:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="273" />
        <source>Reason:</source>
        <translation>调整原因:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="307" />
        <source>Put the %1 customer(s) moved back in their previous grids</source>
        <translation>把调整过的 %1 个客户放回原网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="323" />
        <source>Put the %1 customer(s) moved back in their previous grids?</source>
        <translation>把调整过的 %1 个客户放回原网格吗?</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="336" />
        <source>%1 customer(s) are back in their previous grids.</source>
        <translation>已把 %1 个客户放回原网格。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="344" />
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="344" />
        <source>Spreadsheets (*.xlsx *.xls *.csv)</source>
        <translation>电子表格 (*.xlsx *.xls *.csv)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="352" />
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="374" />
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="374" />
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="454" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="473" />
        <source>Assessing data quality…</source>
        <translation>正在评估数据质量…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="481" />
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 户客户</numerusform>
        </translation>
    </message>
</context>
</TS>